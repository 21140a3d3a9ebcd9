'use client';
import Link from 'next/link';
import { FormStatus } from '@/components/ui/form-status';
import { LiveBadge } from '@/components/live-badge';
import { setTopicLive } from '@/lib/desk/actions';
import { useDeskAction } from './use-desk-action';

type Topic = { slug: string; title: string; live: boolean };

/** Every topic with its live state and the button that ends or reopens its live coverage. */
export function TopicLiveList({ topics }: { topics: Topic[] }) {
  const { status, act } = useDeskAction();
  return (
    <>
      <ul className="desk-topics">
        {topics.map((t) => (
          <li key={t.slug}>
            <span className="desk-topic-name">
              <Link href={`/topics/${t.slug}`}>{t.title}</Link>{' '}
              {t.live ? <LiveBadge /> : <span className="meta">Not live</span>}
            </span>
            <button
              {...act(
                () => setTopicLive({ topic: t.slug, live: !t.live }),
                ({ live }) => `${t.title}: live coverage ${live ? 'reopened' : 'ended'}.`,
              )}
            >
              {t.live ? 'End live coverage' : 'Reopen live coverage'}
            </button>
          </li>
        ))}
      </ul>
      <FormStatus id="topics-status" tone={status.tone} message={status.message} />
    </>
  );
}
