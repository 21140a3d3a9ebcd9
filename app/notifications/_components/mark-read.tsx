'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { withProviders } from '@/app/providers';
import { markNotificationsRead } from '@/lib/notifications/actions';
import { refresh } from '@/lib/query/live';
import { keys } from '@/lib/query/keys';

export const MarkRead = withProviders(Button);

function Button() {
  const router = useRouter();
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={async () => {
          const result = await markNotificationsRead({});
          if (!result.ok) return setMessage(result.message);
          void refresh(client, keys.unreadNotifications); // the bell
          router.refresh();
        }}
      >
        Mark all as read
      </button>
      <span role="status">{message}</span>
    </>
  );
}
