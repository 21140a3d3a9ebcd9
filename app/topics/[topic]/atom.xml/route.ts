import { serveFeed } from '@/lib/feeds/routes';

export const dynamicParams = true;
export const generateStaticParams = async () => [];

export async function GET(_req: Request, { params }: { params: Promise<{ topic: string }> }) {
  return serveFeed('atom', (await params).topic);
}
