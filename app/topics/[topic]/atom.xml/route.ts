import { serveFeed } from '@/lib/feeds/routes';

// Shared caches (CDN, proxy) may keep a copy for a minute; ours is invalidated on change (docs/decisions/003).
export const revalidate = 60;

export const dynamicParams = true;
export const generateStaticParams = async () => [];

export async function GET(_req: Request, { params }: { params: Promise<{ topic: string }> }) {
  return serveFeed('atom', (await params).topic);
}
