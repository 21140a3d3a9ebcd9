'use client';
import { useState } from 'react';
import { FormStatus } from '@/components/ui/form-status';
import { resetFeedToken } from '@/lib/follows/actions';

const formats = [
  ['RSS', 'rss.xml'],
  ['Atom', 'atom.xml'],
  ['JSON Feed', 'feed.json'],
] as const;

/** The reader's private feed addresses: copy them, or reset them (the old ones stop working). */
export function PrivateFeeds({ siteUrl, token: initialToken }: { siteUrl: string; token: string }) {
  const [token, setToken] = useState(initialToken);
  const [message, setMessage] = useState('');
  return (
    <section aria-labelledby="feeds">
      <h2 id="feeds">Your private feed</h2>
      <p>
        The news in the topics you follow, for your feed reader. Keep these addresses to yourself: anyone who
        has one can read what you follow.
      </p>
      <ul className="feed-urls">
        {formats.map(([label, file]) => {
          const url = `${siteUrl}/following/${token}/${file}`;
          return (
            <li key={file}>
              <label>
                {label} <input readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
              </label>{' '}
              <button
                type="button"
                className="button"
                onClick={async () => {
                  await navigator.clipboard?.writeText(url).catch(() => undefined);
                  setMessage(`${label} address copied.`);
                }}
              >
                Copy {label} address
              </button>
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        className="button danger"
        onClick={async () => {
          const result = await resetFeedToken();
          if (!result.ok) return setMessage(result.message);
          setToken(result.data.token);
          setMessage('New addresses made. The old ones no longer work.');
        }}
      >
        Reset feed addresses
      </button>
      <FormStatus id="feeds-status" tone="ok" message={message} />
    </section>
  );
}
