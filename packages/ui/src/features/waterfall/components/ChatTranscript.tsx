/** The chat transcript of a GenAI span: system/user/assistant/tool turns, tool calls and results. */
import clsx from 'clsx';
import { Bot, Cog, User, Wrench } from 'lucide-react';
import type { AttributeValue, ChatMessage } from '../../../lib/types.ts';
import { SafeText } from './SafeText.tsx';

export function contentText(content: AttributeValue | undefined): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) =>
        typeof p === 'object' && p && !Array.isArray(p)
          ? String(
              (p as Record<string, AttributeValue>).text ??
                (p as Record<string, AttributeValue>).content ??
                JSON.stringify(p),
            )
          : String(p),
      )
      .join('\n');
  }
  return typeof content === 'object' ? JSON.stringify(content, null, 2) : String(content);
}

function prettyArgs(args: AttributeValue | undefined): string {
  if (args === undefined || args === null) return '';
  if (typeof args === 'string') {
    try {
      return JSON.stringify(JSON.parse(args), null, 2);
    } catch {
      return args;
    }
  }
  return JSON.stringify(args, null, 2);
}

const ROLE = {
  system: { icon: Cog, label: 'System', cls: 'border-line bg-panel-2' },
  user: { icon: User, label: 'User', cls: 'border-line bg-panel' },
  assistant: { icon: Bot, label: 'Assistant', cls: 'border-accent/30 bg-accent-soft' },
  tool: { icon: Wrench, label: 'Tool', cls: 'border-line bg-panel-2' },
} as const;

export function ChatTranscript({
  input,
  output,
  markdown,
}: {
  input: readonly ChatMessage[];
  output: readonly ChatMessage[];
  markdown: boolean;
}) {
  const messages = [
    ...input.map((m) => ({ m, out: false })),
    ...output.map((m) => ({ m, out: true })),
  ];
  return (
    <ol className="flex flex-col gap-2" aria-label="Chat transcript" data-testid="chat-transcript">
      {messages.map(({ m, out }, idx) => {
        const role = (m.role || 'user').toLowerCase();
        const r = ROLE[role as keyof typeof ROLE] ?? ROLE.user;
        const Icon = r.icon;
        const text = contentText(m.content);
        return (
          <li key={idx} className={clsx('rounded-lg border px-3 py-2', r.cls)} data-role={role}>
            <div className="mb-1 flex items-center gap-1.5 text-[11px] font-semibold uppercase tracking-wide text-muted">
              <Icon size={12} aria-hidden />
              <span>{ROLE[role as keyof typeof ROLE] ? r.label : m.role}</span>
              {m.name && <span className="font-normal normal-case">· {m.name}</span>}
              {m.toolCallId && (
                <span className="font-mono font-normal normal-case text-faint">
                  · {m.toolCallId}
                </span>
              )}
              {out && (
                <span className="ml-auto rounded bg-panel px-1 font-normal normal-case text-faint">
                  output
                </span>
              )}
            </div>
            {text && (
              <SafeText
                text={text}
                markdown={markdown && role !== 'tool'}
                className="text-[13px] leading-relaxed"
              />
            )}
            {m.toolCalls?.map((tc, j) => (
              <div key={j} className="mt-2 rounded-md border border-line bg-panel">
                <div className="flex items-center gap-1.5 border-b border-line px-2 py-1 text-[12px]">
                  <Wrench size={12} className="text-muted" aria-hidden />
                  <span className="font-mono font-medium">{tc.name ?? 'tool'}</span>
                  {tc.id && <span className="font-mono text-[11px] text-faint">{tc.id}</span>}
                </div>
                <pre className="max-h-64 overflow-auto px-2 py-1.5 font-mono text-[12px] whitespace-pre-wrap break-words">
                  {prettyArgs(tc.arguments)}
                </pre>
              </div>
            ))}
          </li>
        );
      })}
    </ol>
  );
}
