import { jsonLd } from '@/lib/seo/metadata';

/** Structured data as a data block (not executed, so the CSP does not apply to it). */
export function JsonLd({ data }: { data: object }) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd(data) }} />;
}
