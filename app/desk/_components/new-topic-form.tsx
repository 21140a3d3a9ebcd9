'use client';
import { useRef } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { createTopic } from '@/lib/desk/actions';
import { useDeskAction } from './use-desk-action';

/** A new topic: its file is written by the desk like any other (SPEC §2 topic frontmatter). */
export function NewTopicForm() {
  const form = useRef<HTMLFormElement>(null);
  const { pending, status, run } = useDeskAction();
  return (
    <form
      ref={form}
      className="stack-form desk-new-topic"
      aria-labelledby="new-topic-title"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const title = String(data.get('title') ?? '');
        run(
          () =>
            createTopic({
              title,
              description: String(data.get('description') ?? ''),
              live: data.get('live') === 'on',
            }),
          ({ slug }) => `Topic “${title}” created (/topics/${slug}).`,
          () => form.current?.reset(),
        );
      }}
    >
      <h3 id="new-topic-title">New topic</h3>
      <Field label="Title" name="title" id="topic-title" required maxLength={120} />
      <Field
        label="Description"
        name="description"
        id="topic-description"
        required
        maxLength={300}
        hint="One sentence: what the topic covers (300 characters at most)."
      />
      <label className="check">
        <input type="checkbox" name="live" /> Live coverage
      </label>
      <button className="button" type="submit" disabled={pending}>
        Create topic
      </button>
      <FormStatus id="new-topic-status" tone={status.tone} message={status.message} />
    </form>
  );
}
