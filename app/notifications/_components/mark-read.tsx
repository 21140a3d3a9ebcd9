'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { markNotificationsRead } from '@/lib/notifications/actions';

export function MarkRead() {
  const router = useRouter();
  const [message, setMessage] = useState('');
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={async () => {
          const result = await markNotificationsRead({});
          if (!result.ok) return setMessage(result.message);
          window.dispatchEvent(new Event('dispatch:notifications-read'));
          router.refresh();
        }}
      >
        Mark all as read
      </button>
      <span role="status">{message}</span>
    </>
  );
}
