import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { Dialog } from '../../../components/dialog.tsx';
import { Badge, Button, Card, ErrorNote, Input, Select, Spinner } from '../../../components/ui.tsx';
import { api, ApiError } from '../../../lib/api.ts';
import { formatAgo } from '../../../lib/format.ts';
import type { Role, User } from '../../../lib/types.ts';
import { useAuth } from '../../auth/hooks/auth.tsx';
import { notify } from '../../shell/lib/notifications.ts';

export function UsersSettings() {
  const { isAdmin, me } = useAuth();
  const client = useQueryClient();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ users: User[] }>('/users'),
    retry: false,
  });
  const [adding, setAdding] = useState(false);
  const [form, setForm] = useState({ email: '', name: '', password: '', role: 'viewer' as Role });
  const add = useMutation({
    mutationFn: () => api<User>('/users', { method: 'POST', body: form }),
    onSuccess: () => {
      setAdding(false);
      setForm({ email: '', name: '', password: '', role: 'viewer' });
      notify('User added', { tone: 'ok' });
      void client.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const patch = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) =>
      api<User>(`/users/${id}`, { method: 'PATCH', body: { role } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['users'] }),
    onError: (err) =>
      notify('Could not change the role', {
        tone: 'error',
        detail: err instanceof Error ? err.message : '',
      }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/users/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['users'] }),
    onError: (err) =>
      notify('Could not remove the user', {
        tone: 'error',
        detail: err instanceof Error ? err.message : '',
      }),
  });

  if (users.isError && users.error instanceof ApiError && users.error.status === 403) {
    return (
      <Card title="Users">
        <p className="p-4 text-[13px] text-muted">Only admins can see and manage users.</p>
      </Card>
    );
  }
  return (
    <Card
      title="Users"
      actions={
        isAdmin && (
          <Button
            size="sm"
            variant="primary"
            icon={<Plus size={13} />}
            onClick={() => setAdding(true)}
          >
            Add user
          </Button>
        )
      }
    >
      {users.isPending && (
        <div className="p-4">
          <Spinner />
        </div>
      )}
      {users.isError && (
        <div className="p-4">
          <ErrorNote error={users.error} />
        </div>
      )}
      {users.data && (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[600px] text-[13px]" aria-label="Users">
            <thead>
              <tr className="text-left text-[11px] uppercase tracking-wide text-faint">
                <th className="px-4 py-2 font-semibold">User</th>
                <th className="px-2 py-2 font-semibold">Role</th>
                <th className="px-2 py-2 font-semibold">Last sign-in</th>
                <th className="px-4 py-2" />
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((u) => (
                <tr key={u.id} className="border-t border-line">
                  <td className="px-4 py-2">
                    <div className="font-medium">
                      {u.name} {u.id === me?.user.id && <Badge>you</Badge>}
                    </div>
                    <div className="text-[12px] text-muted">{u.email}</div>
                  </td>
                  <td className="px-2 py-2">
                    {isAdmin ? (
                      <Select
                        aria-label={`Role of ${u.email}`}
                        value={u.role}
                        onChange={(e) => patch.mutate({ id: u.id, role: e.target.value as Role })}
                      >
                        <option value="viewer">viewer</option>
                        <option value="member">member</option>
                        <option value="admin">admin</option>
                      </Select>
                    ) : (
                      <Badge>{u.role}</Badge>
                    )}
                  </td>
                  <td className="px-2 py-2 text-muted">
                    {u.lastLoginAt ? formatAgo(Date.parse(u.lastLoginAt)) : 'never'}
                  </td>
                  <td className="px-4 py-2 text-right">
                    {isAdmin && u.id !== me?.user.id && (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="!text-err"
                        aria-label={`Remove ${u.email}`}
                        onClick={() => remove.mutate(u.id)}
                      >
                        Remove
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog
        open={adding}
        onClose={() => setAdding(false)}
        title="Add user"
        footer={
          <>
            <Button onClick={() => setAdding(false)}>Cancel</Button>
            <Button
              variant="primary"
              disabled={add.isPending || !form.email || form.password.length < 12}
              onClick={() => add.mutate()}
            >
              Add user
            </Button>
          </>
        }
      >
        <div className="flex flex-col gap-3">
          <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
            Email
            <Input
              type="email"
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
            />
          </label>
          <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
            Name
            <Input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
            Initial password (12+ characters)
            <Input
              type="password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
          </label>
          <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
            Role
            <Select
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
            >
              <option value="viewer">viewer — read only</option>
              <option value="member">member — plus saved queries</option>
              <option value="admin">admin — everything</option>
            </Select>
          </label>
          {add.isError && <ErrorNote error={add.error} />}
        </div>
      </Dialog>
    </Card>
  );
}
