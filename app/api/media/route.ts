import { handleUpload } from '@/lib/media/routes';

export const dynamic = 'force-dynamic';

/** The desk's photo upload (editors only; lib/media/upload.ts). */
export const POST = (req: Request) => handleUpload(req);
