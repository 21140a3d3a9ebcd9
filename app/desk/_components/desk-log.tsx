import { LocalTime } from '@/components/local-time';
import type { DeskLogEntry } from '@/lib/desk/queries';

/** Who did what to which file, and when (the desk's log, newest first). */
export function DeskLog({ log }: { log: DeskLogEntry[] }) {
  if (log.length === 0) return <p>Nothing yet.</p>;
  return (
    <ol className="desk-log">
      {log.map((l) => (
        <li key={l.id}>
          <bdi>{l.userName}</bdi> · {l.action} <code>{l.file}</code>
          {l.detail && (
            <>
              {' '}
              (<code>{l.detail}</code>)
            </>
          )}{' '}
          · <LocalTime iso={l.at} />
        </li>
      ))}
    </ol>
  );
}
