/** The span detail panel: GenAI views (chat, prompt/completion, documents, model) and the raw data. */
import clsx from 'clsx';
import { AlertTriangle, Copy, X } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { Badge, ErrorNote, IconButton, Input, Spinner, Tabs } from '../../../components/ui.tsx';
import { formatCount, formatNs, formatTime, nsToMs } from '../../../lib/format.ts';
import { usePrefs } from '../../shell/hooks/prefs.ts';
import type { Span } from '../../../lib/types.ts';
import { AttributeTable } from './AttributeTable.tsx';
import { ChatTranscript } from './ChatTranscript.tsx';
import { SafeText } from './SafeText.tsx';

type Tab =
  | 'chat'
  | 'content'
  | 'documents'
  | 'model'
  | 'attributes'
  | 'events'
  | 'links'
  | 'resource'
  | 'raw';

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] text-faint">{label}</dt>
      <dd className="truncate text-[13px] font-medium tabular">{children}</dd>
    </div>
  );
}

const PARAM_KEYS =
  /^(gen_ai\.request\.|llm\.invocation_parameters|gen_ai\.response\.finish_reasons|gen_ai\.response\.id)/;

export function SpanDetail({
  span,
  loading,
  error,
  onClose,
  traceStartNs,
}: {
  span: Span | undefined;
  loading: boolean;
  error: unknown;
  onClose: () => void;
  traceStartNs: string;
}) {
  const { timeZone } = usePrefs();
  const hasChat = !!(span?.inputMessages?.length || span?.outputMessages?.length);
  const hasContent = !!(span?.inputText || span?.outputText);
  const labels = contentLabels(span?.operation ?? '');
  const docsFirst = span?.operation === 'retrieval' || span?.operation === 'reranker';
  const hasDocs = !!span?.retrievalDocuments?.length;
  const isGenAi = !!(
    span &&
    (span.operation ||
      span.requestModel ||
      span.responseModel ||
      span.inputTokens ||
      span.outputTokens)
  );
  const tabs = useMemo(() => {
    if (!span) return [];
    const t: { id: Tab; label: string; count?: number }[] = [];
    const docs = {
      id: 'documents' as const,
      label: 'Documents',
      count: span.retrievalDocuments?.length,
    };
    if (hasChat) t.push({ id: 'chat', label: 'Chat' });
    // A retrieval's documents are what it produced; its query comes after them.
    if (hasDocs && docsFirst) t.push(docs);
    if (hasContent) t.push({ id: 'content', label: labels.tab });
    if (hasDocs && !docsFirst) t.push(docs);
    if (isGenAi) t.push({ id: 'model', label: 'Model' });
    t.push({
      id: 'attributes',
      label: 'Attributes',
      count: Object.keys(span.attributes ?? {}).length,
    });
    t.push({ id: 'events', label: 'Events', count: span.events?.length ?? 0 });
    t.push({ id: 'links', label: 'Links', count: span.links?.length ?? 0 });
    t.push({ id: 'resource', label: 'Resource' });
    t.push({ id: 'raw', label: 'JSON' });
    return t;
  }, [span, hasChat, hasContent, hasDocs, docsFirst, isGenAi, labels.tab]);
  // The first content tab in the order above, else the attributes.
  const firstTab =
    tabs.find((t) => t.id === 'chat' || t.id === 'documents' || t.id === 'content')?.id ??
    'attributes';
  const [tab, setTab] = useState<Tab>('attributes');
  const [markdown, setMarkdown] = useState(false);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    setTab(firstTab);
  }, [span?.spanId, firstTab]);

  return (
    <aside
      aria-label="Span detail"
      data-testid="span-detail"
      className="flex h-full min-h-0 w-full flex-col border-l border-line bg-panel"
    >
      <header className="flex items-start gap-2 border-b border-line px-4 py-3">
        <div className="min-w-0 flex-1">
          {span ? (
            <>
              <h2 className="flex items-center gap-2 text-sm font-semibold">
                {span.status?.code === 'error' && (
                  <AlertTriangle size={14} className="shrink-0 text-err" aria-label="error" />
                )}
                <span className="truncate">{span.name}</span>
              </h2>
              <p className="mt-0.5 flex flex-wrap items-center gap-1.5 text-[12px] text-muted">
                <Badge>{span.serviceName || 'unknown service'}</Badge>
                <Badge>{span.kind}</Badge>
                {span.operation && <Badge tone="accent">{span.operation}</Badge>}
                <span className="font-mono text-[11px] text-faint">{span.spanId}</span>
                <IconButton
                  label="Copy span id"
                  className="h-5 w-5"
                  onClick={() => void navigator.clipboard?.writeText(span.spanId)}
                >
                  <Copy size={11} />
                </IconButton>
              </p>
            </>
          ) : (
            <h2 className="text-sm font-semibold">Span</h2>
          )}
        </div>
        <IconButton label="Close span detail" onClick={onClose}>
          <X size={16} />
        </IconButton>
      </header>
      {loading && (
        <div className="p-6">
          <Spinner />
        </div>
      )}
      {error != null && !span && (
        <div className="p-4">
          <ErrorNote error={error} />
        </div>
      )}
      {span && (
        <>
          <dl className="grid grid-cols-3 gap-3 border-b border-line px-4 py-3">
            <Stat label="Duration">{formatNs(span.durationNs)}</Stat>
            <Stat label="Starts at">
              +
              {formatNs(Math.max(0, (nsToMs(span.startTimeUnixNano) - nsToMs(traceStartNs)) * 1e6))}
            </Stat>
            <Stat label="Status">
              <span
                className={
                  span.status?.code === 'error'
                    ? 'text-err'
                    : span.status?.code === 'ok'
                      ? 'text-ok'
                      : 'text-muted'
                }
              >
                {span.status?.code ?? 'unset'}
              </span>
            </Stat>
            {(span.requestModel || span.responseModel) && (
              <Stat label="Model">{span.responseModel || span.requestModel}</Stat>
            )}
            {(span.inputTokens > 0 || span.outputTokens > 0) && (
              <Stat label="Tokens in / out">
                {formatCount(span.inputTokens)} / {formatCount(span.outputTokens)}
              </Stat>
            )}
            <Stat label="Start time">
              {formatTime(nsToMs(span.startTimeUnixNano), { timeZone }).slice(11)}
            </Stat>
          </dl>
          {span.status?.message && (
            <div className="border-b border-line bg-err-soft px-4 py-2 text-[12px] text-err">
              <SafeText text={span.status.message} />
            </div>
          )}
          <Tabs tabs={tabs} value={tab} onChange={setTab} label="Span sections" />
          <div className="min-h-0 flex-1 overflow-auto px-4 py-3">
            {(tab === 'chat' || tab === 'content' || tab === 'documents') && (
              <label className="mb-2 flex items-center justify-end gap-1.5 text-[12px] text-muted">
                <input
                  type="checkbox"
                  checked={markdown}
                  onChange={(e) => setMarkdown(e.target.checked)}
                  className="accent-[var(--accent)]"
                />
                Render markdown (sanitized)
              </label>
            )}
            {tab === 'chat' && (
              <ChatTranscript
                input={span.inputMessages ?? []}
                output={span.outputMessages ?? []}
                markdown={markdown}
              />
            )}
            {tab === 'content' && (
              <div className="flex flex-col gap-3" data-testid="prompt-completion">
                <ContentSection
                  title={labels.input}
                  text={span.inputText}
                  markdown={markdown}
                  boxClassName="border-line bg-panel-2"
                />
                {(span.outputText || !labels.outputOptional) && (
                  <ContentSection
                    title={labels.output}
                    text={span.outputText}
                    markdown={markdown}
                    boxClassName="border-accent/30 bg-accent-soft"
                  />
                )}
              </div>
            )}
            {tab === 'documents' && (
              <ol className="flex flex-col gap-2">
                {span.retrievalDocuments!.map((d, i) => (
                  <li key={i} className="rounded-md border border-line p-2">
                    <div className="mb-1 flex items-center gap-2 text-[12px]">
                      <span className="font-mono text-muted">{d.id ?? `#${i + 1}`}</span>
                      {typeof d.score === 'number' && (
                        <span className="ml-auto flex items-center gap-1.5">
                          <span className="h-1.5 w-16 overflow-hidden rounded bg-panel-2">
                            <span
                              className="block h-full bg-accent"
                              style={{ width: `${Math.max(0, Math.min(1, d.score)) * 100}%` }}
                            />
                          </span>
                          <span className="font-mono tabular">{d.score.toFixed(3)}</span>
                        </span>
                      )}
                    </div>
                    <SafeText text={d.content ?? ''} markdown={markdown} className="text-[13px]" />
                    {d.metadata != null && (
                      <pre className="mt-1 font-mono text-[11px] text-faint whitespace-pre-wrap">
                        {JSON.stringify(d.metadata)}
                      </pre>
                    )}
                  </li>
                ))}
              </ol>
            )}
            {tab === 'model' && (
              <div className="flex flex-col gap-3">
                <dl className="grid grid-cols-2 gap-3">
                  <Stat label="Provider">{span.provider || '–'}</Stat>
                  <Stat label="Operation">{span.operation || '–'}</Stat>
                  <Stat label="Requested model">{span.requestModel || '–'}</Stat>
                  <Stat label="Response model">{span.responseModel || '–'}</Stat>
                  <Stat label="Input tokens">{formatCount(span.inputTokens)}</Stat>
                  <Stat label="Output tokens">{formatCount(span.outputTokens)}</Stat>
                  <Stat label="Cached tokens">{formatCount(span.cachedTokens ?? 0)}</Stat>
                  <Stat label="Total tokens">{formatCount(span.totalTokens)}</Stat>
                </dl>
                <h3 className="text-[11px] font-semibold uppercase tracking-wide text-faint">
                  Parameters
                </h3>
                <AttributeTable
                  label="Parameters"
                  attributes={Object.fromEntries(
                    Object.entries(span.attributes ?? {}).filter(([k]) => PARAM_KEYS.test(k)),
                  )}
                />
              </div>
            )}
            {tab === 'attributes' && (
              <>
                <Input
                  placeholder="Filter attributes"
                  aria-label="Filter attributes"
                  value={filter}
                  onChange={(e) => setFilter(e.target.value)}
                  className="mb-2"
                />
                <AttributeTable label="Attributes" attributes={span.attributes} filter={filter} />
              </>
            )}
            {tab === 'events' && (
              <ol className="flex flex-col gap-2">
                {(span.events ?? []).length === 0 && (
                  <p className="text-[12px] text-muted">No events.</p>
                )}
                {(span.events ?? []).map((e, i) => (
                  <li key={i} className="rounded-md border border-line p-2">
                    <div className="mb-1 flex items-center gap-2 text-[12px]">
                      <span className="font-medium">{e.name}</span>
                      <span className="ml-auto font-mono text-faint">
                        +
                        {formatNs(
                          Math.max(
                            0,
                            (nsToMs(e.timeUnixNano) - nsToMs(span.startTimeUnixNano)) * 1e6,
                          ),
                        )}
                      </span>
                    </div>
                    <AttributeTable label="Event attributes" attributes={e.attributes} />
                  </li>
                ))}
              </ol>
            )}
            {tab === 'links' && (
              <ul className="flex flex-col gap-2">
                {(span.links ?? []).length === 0 && (
                  <p className="text-[12px] text-muted">No links.</p>
                )}
                {(span.links ?? []).map((l, i) => (
                  <li key={i} className="rounded-md border border-line p-2 text-[12px]">
                    <a
                      className="font-mono text-link"
                      href={`/traces/${l.traceId}?span=${l.spanId}`}
                    >
                      {l.traceId.slice(0, 12)}… / {l.spanId}
                    </a>
                    <AttributeTable label="Link attributes" attributes={l.attributes} />
                  </li>
                ))}
              </ul>
            )}
            {tab === 'resource' && <AttributeTable label="Resource" attributes={span.resource} />}
            {tab === 'raw' && (
              <pre
                data-testid="span-json"
                className="font-mono text-[11px] whitespace-pre-wrap break-all"
              >
                {JSON.stringify(span, null, 2)}
              </pre>
            )}
          </div>
        </>
      )}
    </aside>
  );
}

/**
 * What a span's input and output text are, by its canonical operation: the server fills them
 * from a model's prompt and completion, a tool's arguments and result, a retrieval's query, an
 * embedding's input. `outputOptional`: an operation without output text has no output section
 * (an embedding's output is vectors, which are not kept as text); a model call without a
 * completion still shows one, empty, since that is worth noticing.
 */
function contentLabels(operation: string): {
  tab: string;
  input: string;
  output: string;
  outputOptional: boolean;
} {
  switch (operation) {
    case 'tool':
      return {
        tab: 'Arguments & result',
        input: 'Arguments',
        output: 'Result',
        outputOptional: false,
      };
    case 'retrieval':
    case 'reranker':
      return { tab: 'Query', input: 'Query', output: 'Result', outputOptional: true };
    case 'embedding':
      return { tab: 'Input', input: 'Input', output: 'Output', outputOptional: true };
    case 'agent':
    case 'chain':
      return { tab: 'Input & output', input: 'Input', output: 'Output', outputOptional: false };
    default:
      return {
        tab: 'Prompt & completion',
        input: 'Prompt',
        output: 'Completion',
        outputOptional: false,
      };
  }
}

/** One titled box of the content tab: a span's input or its output. */
function ContentSection({
  title,
  text,
  markdown,
  boxClassName,
}: {
  title: string;
  text?: string;
  markdown: boolean;
  boxClassName: string;
}) {
  return (
    <section>
      <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-faint">{title}</h3>
      <div className={clsx('rounded-md border p-2 text-[13px]', boxClassName)}>
        <ContentText text={text} markdown={markdown} />
      </div>
    </section>
  );
}

/** Longest text tried as JSON for pretty-printing; beyond it, shown as stored. */
const PRETTY_JSON_MAX = 100_000;

/**
 * A span's input or output text: a JSON object or array (tool arguments and results, structured
 * prompts) indented in monospace, anything else as text (or sanitized markdown when asked).
 */
function ContentText({ text = '', markdown }: { text?: string; markdown: boolean }) {
  const pretty = useMemo(() => (markdown ? undefined : prettyJson(text)), [text, markdown]);
  if (pretty !== undefined) return <SafeText text={pretty} className="font-mono text-[12px]" />;
  return <SafeText text={text || '—'} markdown={markdown} />;
}

function prettyJson(text: string): string | undefined {
  const t = text.trim();
  if (t.length > PRETTY_JSON_MAX || !(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return v !== null && typeof v === 'object' ? JSON.stringify(v, null, 2) : undefined;
  } catch {
    return undefined;
  }
}
