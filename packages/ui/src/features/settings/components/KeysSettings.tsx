import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Copy, KeyRound, Plus } from 'lucide-react';
import { useState } from 'react';
import { Dialog } from '../../../components/dialog.tsx';
import { Badge, Button, Card, Empty, ErrorNote, Input, Spinner } from '../../../components/ui.tsx';
import { api } from '../../../lib/api.ts';
import { formatAgo } from '../../../lib/format.ts';
import type { ApiKey, Scope } from '../../../lib/types.ts';
import { useAuth } from '../../auth/hooks/auth.tsx';
import { notify } from '../../shell/lib/notifications.ts';

const SCOPES: { id: Scope; what: string }[] = [
  { id: 'ingest', what: 'send OTLP traces, metrics and logs' },
  { id: 'read', what: 'read traces and everything else' },
  { id: 'admin', what: 'manage keys, users and settings' },
];

export function KeysSettings() {
  const { isAdmin } = useAuth();
  const client = useQueryClient();
  const keys = useQuery({
    queryKey: ['keys'],
    queryFn: () => api<{ keys: ApiKey[] }>('/keys'),
    retry: false,
  });
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['ingest']);
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api<ApiKey & { key?: string; secret?: string }>('/keys', {
        method: 'POST',
        body: { name, scopes },
      }),
    onSuccess: (res) => {
      setSecret(res.secret ?? res.key ?? '');
      setCreating(false);
      setName('');
      void client.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/keys/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      setRevoking(null);
      notify('API key revoked', { tone: 'ok' });
      void client.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const list = (keys.data?.keys ?? []).filter((k) => !k.revokedAt);

  return (
    <Card
      title="API keys"
      actions={
        isAdmin && (
          <Button
            variant="primary"
            size="sm"
            icon={<Plus size={13} />}
            onClick={() => setCreating(true)}
          >
            Create key
          </Button>
        )
      }
    >
      {keys.isPending && (
        <div className="p-4">
          <Spinner />
        </div>
      )}
      {keys.isError && (
        <div className="p-4">
          <ErrorNote error={keys.error} />
        </div>
      )}
      {keys.data && list.length === 0 && (
        <Empty title="No API keys">Create one to send telemetry over OTLP.</Empty>
      )}
      {list.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[640px] text-[13px]" aria-label="API keys">
            <thead>
              <tr className="text-left text-[11px] uppercase tracking-wide text-faint">
                <th className="px-4 py-2 font-semibold">Name</th>
                <th className="px-2 py-2 font-semibold">Key</th>
                <th className="px-2 py-2 font-semibold">Scopes</th>
                <th className="px-2 py-2 font-semibold">Created</th>
                <th className="px-2 py-2 font-semibold">Last used</th>
                <th className="px-4 py-2" />
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.id} className="border-t border-line" data-testid="key-row">
                  <td className="px-4 py-2 font-medium">{k.name}</td>
                  <td className="px-2 py-2 font-mono text-[12px] text-muted">{k.prefix}…</td>
                  <td className="px-2 py-2">
                    <span className="flex gap-1">
                      {k.scopes.map((s) => (
                        <Badge key={s} tone={s === 'admin' ? 'accent' : 'neutral'}>
                          {s}
                        </Badge>
                      ))}
                    </span>
                  </td>
                  <td className="px-2 py-2 text-muted">{formatAgo(Date.parse(k.createdAt))}</td>
                  <td className="px-2 py-2 text-muted">
                    {k.lastUsedAt ? formatAgo(Date.parse(k.lastUsedAt)) : 'never'}
                  </td>
                  <td className="px-4 py-2 text-right">
                    {isAdmin && (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="!text-err"
                        aria-label={`Revoke ${k.name}`}
                        onClick={() => setRevoking(k)}
                      >
                        Revoke
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
        open={creating}
        onClose={() => setCreating(false)}
        title="Create API key"
        footer={
          <>
            <Button onClick={() => setCreating(false)}>Cancel</Button>
            <Button
              variant="primary"
              disabled={!name.trim() || scopes.length === 0 || create.isPending}
              onClick={() => create.mutate()}
            >
              Create
            </Button>
          </>
        }
      >
        <div className="flex flex-col gap-3">
          <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
            Name
            <Input
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="checkout-service production"
            />
          </label>
          <fieldset className="flex flex-col gap-1.5">
            <legend className="mb-1 text-[12px] font-medium text-muted">Scopes</legend>
            {SCOPES.map((s) => (
              <label key={s.id} className="flex items-center gap-2 text-[13px]">
                <input
                  type="checkbox"
                  checked={scopes.includes(s.id)}
                  onChange={(e) =>
                    setScopes((cur) =>
                      e.target.checked ? [...cur, s.id] : cur.filter((x) => x !== s.id),
                    )
                  }
                  className="accent-[var(--accent)]"
                />
                <span className="font-mono">{s.id}</span>
                <span className="text-muted">— {s.what}</span>
              </label>
            ))}
          </fieldset>
          {create.isError && <ErrorNote error={create.error} />}
        </div>
      </Dialog>

      <Dialog
        open={secret !== null}
        onClose={() => setSecret(null)}
        title="Your new API key"
        footer={
          <Button variant="primary" onClick={() => setSecret(null)}>
            Done
          </Button>
        }
      >
        <p className="mb-2 flex items-center gap-1.5 text-[13px] text-muted">
          <KeyRound size={14} /> Copy it now: it is shown only once.
        </p>
        <div className="flex items-center gap-2 rounded-md border border-line bg-panel-2 p-2">
          <code
            data-testid="new-key-secret"
            className="min-w-0 flex-1 break-all font-mono text-[12px]"
          >
            {secret}
          </code>
          <Button
            size="sm"
            icon={<Copy size={12} />}
            onClick={() => void navigator.clipboard?.writeText(secret ?? '')}
          >
            Copy
          </Button>
        </div>
      </Dialog>

      <Dialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke API key"
        footer={
          <>
            <Button onClick={() => setRevoking(null)}>Cancel</Button>
            <Button
              variant="danger"
              disabled={revoke.isPending}
              onClick={() => revoking && revoke.mutate(revoking.id)}
            >
              Revoke key
            </Button>
          </>
        }
      >
        <p className="text-[13px]">
          Requests with <span className="font-medium">{revoking?.name}</span> (
          <span className="font-mono">{revoking?.prefix}…</span>) will be refused from now on. This
          cannot be undone.
        </p>
        {revoke.isError && <ErrorNote error={revoke.error} />}
      </Dialog>
    </Card>
  );
}
