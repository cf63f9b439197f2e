import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button, Card, ErrorNote, Input, Spinner } from '../../../components/ui.tsx';
import { api, ApiError } from '../../../lib/api.ts';
import { formatTime } from '../../../lib/format.ts';
import type { Project } from '../../../lib/types.ts';
import { useAuth } from '../../auth/hooks/auth.tsx';
import { usePrefs } from '../../shell/hooks/prefs.ts';
import { notify } from '../../shell/lib/notifications.ts';

export function ProjectSettings() {
  const { me, isAdmin } = useAuth();
  const { timeZone } = usePrefs();
  const client = useQueryClient();
  const projects = useQuery({
    queryKey: ['projects'],
    queryFn: () => api<{ projects: Project[] }>('/projects'),
  });
  const project =
    projects.data?.projects.find((p) => p.id === me?.project.id) ?? projects.data?.projects[0];
  const [name, setName] = useState('');
  const [retention, setRetention] = useState(30);
  const [capture, setCapture] = useState(true);
  useEffect(() => {
    if (!project) return;
    setName(project.name);
    setRetention(project.retentionDays);
    setCapture(project.captureContent);
  }, [project]);
  const save = useMutation({
    mutationFn: () =>
      api<Project>(`/projects/${project!.id}`, {
        method: 'PATCH',
        body: { name, retentionDays: retention, captureContent: capture },
      }),
    onSuccess: () => {
      notify('Project settings saved', { tone: 'ok' });
      void client.invalidateQueries({ queryKey: ['projects'] });
      void client.invalidateQueries({ queryKey: ['me'] });
    },
  });
  if (projects.isPending) return <Spinner />;
  if (projects.isError && projects.error instanceof ApiError && projects.error.status === 403) {
    return (
      <Card title="Project">
        <p className="p-4 text-[13px] text-muted">
          Only admins can see and change project settings (retention, content capture). You are
          signed in to <span className="font-medium text-fg">{me?.project.name}</span> as a{' '}
          {me?.role}.
        </p>
      </Card>
    );
  }
  if (projects.isError) return <ErrorNote error={projects.error} />;
  if (!project) return <p className="text-muted">No project.</p>;
  return (
    <Card title="Project">
      <form
        className="flex flex-col gap-4 p-4"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <label className="flex max-w-md flex-col gap-1 text-[12px] font-medium text-muted">
          Name
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            disabled={!isAdmin}
            required
            maxLength={200}
          />
        </label>
        <label className="flex max-w-xs flex-col gap-1 text-[12px] font-medium text-muted">
          Retention (days)
          <Input
            type="number"
            min={1}
            max={3650}
            value={retention}
            onChange={(e) => setRetention(Number(e.target.value))}
            disabled={!isAdmin}
          />
          <span className="font-normal text-faint">
            Spans, logs and metrics older than this are deleted.
          </span>
        </label>
        <label className="flex items-start gap-2 text-[13px]">
          <input
            type="checkbox"
            checked={capture}
            onChange={(e) => setCapture(e.target.checked)}
            disabled={!isAdmin}
            className="mt-0.5 accent-[var(--accent)]"
          />
          <span>
            Store prompt and completion content
            <span className="block text-[12px] text-muted">
              When off, messages, prompts, completions and retrieved documents are stripped at
              ingest; only metadata is kept.
            </span>
          </span>
        </label>
        <p className="text-[12px] text-faint">
          Project id <span className="font-mono">{project.id}</span> · created{' '}
          {formatTime(Date.parse(project.createdAt), { timeZone, millis: false }).slice(0, 10)}
        </p>
        {save.isError && <ErrorNote error={save.error} />}
        {isAdmin && (
          <div>
            <Button type="submit" variant="primary" disabled={save.isPending}>
              Save changes
            </Button>
          </div>
        )}
      </form>
    </Card>
  );
}
