import { serveFeed } from '@/lib/feeds/routes';

// Shared caches (CDN, proxy) may keep a copy for a minute; ours is invalidated on change (docs/decisions/003).
export const revalidate = 60;

// Cached like pages and re-rendered when content changes (docs/decisions/003-page-cache.md).
export const dynamic = 'force-static';

export const GET = () => serveFeed('rss');
