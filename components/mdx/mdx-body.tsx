/**
 * An MDX body, already rendered to HTML when its file was loaded. The HTML comes only from editors'
 * files, checked at load (no raw HTML, scripts, expressions or unsafe links can get in:
 * lib/content/mdx.ts); reader text never goes through here.
 */
export function MdxBody({ html, className = 'prose' }: { html: string; className?: string }) {
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
