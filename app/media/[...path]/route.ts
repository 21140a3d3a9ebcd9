import { serveMedia } from '@/lib/media/serve';

// Files the desk uploaded after the build (public/ is only what the build saw): lib/media/serve.ts.
export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ path: string[] }> };

export async function GET(request: Request, { params }: Context) {
  return serveMedia(request, (await params).path);
}

export const HEAD = GET;
