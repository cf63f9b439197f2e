import { KeyRound } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Button, ErrorNote, Input } from '../../../components/ui.tsx';
import { ApiError } from '../../../lib/api.ts';
import { useAuth } from '../hooks/auth.tsx';

export function LoginPage() {
  const { me, signIn, signInWithKey } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [mode, setMode] = useState<'password' | 'key'>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = (location.state as { from?: string } | null)?.from ?? '/';
  if (me) return <Navigate to={next} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'password') await signIn(email, password);
      else await signInWithKey(key.trim());
      void navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setError(
          new Error(
            mode === 'password' ? 'Wrong email or password.' : 'That API key was not accepted.',
          ),
        );
      } else if (err instanceof ApiError && err.status === 429) {
        setError(new Error('Too many attempts. Wait a few minutes and try again.'));
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex min-h-full items-center justify-center bg-bg px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-2">
          <img src="/favicon.svg" alt="" className="h-10 w-10" />
          <h1 className="text-xl font-semibold tracking-tight">Sign in to PyFlare</h1>
          <p className="text-[13px] text-muted">Observability for AI and ML in production</p>
        </div>
        <form
          onSubmit={submit}
          className="flex flex-col gap-3 rounded-xl border border-line bg-panel p-5 shadow-card"
        >
          {mode === 'password' ? (
            <>
              <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
                Email
                <Input
                  type="email"
                  autoComplete="username"
                  required
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                />
              </label>
              <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
                Password
                <Input
                  type="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </label>
            </>
          ) : (
            <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
              API key
              <Input
                type="password"
                required
                placeholder="pf_…"
                value={key}
                onChange={(e) => setKey(e.target.value)}
              />
              <span className="font-normal text-faint">
                Kept for this tab only. Live updates need a password sign-in.
              </span>
            </label>
          )}
          {error != null && <ErrorNote error={error} />}
          <Button type="submit" variant="primary" disabled={busy} className="mt-1 h-9">
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
          <button
            type="button"
            className="flex items-center justify-center gap-1.5 text-[12px] text-muted hover:text-fg"
            onClick={() => {
              setMode(mode === 'password' ? 'key' : 'password');
              setError(null);
            }}
          >
            <KeyRound size={13} />
            {mode === 'password'
              ? 'Sign in with an API key instead'
              : 'Sign in with email and password'}
          </button>
        </form>
        <p className="mt-4 text-center text-[12px] text-faint">
          First start? The admin is <span className="font-mono">admin@localhost</span>, with the
          password printed by the server.
        </p>
      </div>
    </div>
  );
}
