import { getContentStore } from '@/lib/content/instance';

export const dynamic = 'force-dynamic';

/** 200 once the content store has loaded; 503 while it can't. */
export async function GET() {
  try {
    await getContentStore();
    return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
  } catch {
    return Response.json(
      { status: 'unavailable' },
      { status: 503, headers: { 'cache-control': 'no-store' } },
    );
  }
}
