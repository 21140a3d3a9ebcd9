import { serveFeed } from '@/lib/feeds/routes';

// Cached like pages and re-rendered when content changes (docs/decisions/003-page-cache.md).
export const dynamic = 'force-static';

export const GET = () => serveFeed('json');
