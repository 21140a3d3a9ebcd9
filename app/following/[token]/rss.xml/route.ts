import { servePersonalFeed } from '@/lib/feeds/routes';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: { params: Promise<{ token: string }> }) {
  return servePersonalFeed('rss', (await params).token);
}
