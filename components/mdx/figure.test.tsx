import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { compileBody } from '@/lib/content/mdx';
import { Figure } from './figure';

const img = (html: string) => /<img [^>]*>/.exec(html)![0];
/** An <img>'s attributes, whatever their order and case. */
const attributes = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/ ([a-zA-Z]+)="([^"]*)"/g)].map(([, k, v]) => [k!.toLowerCase(), v]));

describe('Figure', () => {
  it('gives an uploaded image its widths and real size, as the MDX body does', () => {
    const src = '/media/2026/03/0123456789abcdef-1200x800-960.webp';
    const hero = attributes(img(renderToStaticMarkup(<Figure src={src} alt="Harbour" priority />)));
    expect(hero).toMatchObject({
      src,
      srcset: `${src.replace('-960', '-480')} 480w, ${src} 960w, ${src.replace('-960', '-1600')} 1200w`,
      sizes: '(max-width: 720px) 100vw, 720px',
      width: '960',
      height: '640',
      loading: 'eager',
      fetchpriority: 'high',
    });
    const body = compileBody(`<Figure src="${src}" alt="Harbour" />`);
    if (!body.ok) throw new Error(body.reason);
    const inBody = attributes(img(body.body.html));
    for (const key of ['src', 'srcset', 'sizes', 'width', 'height', 'alt'])
      expect(inBody[key]).toBe(hero[key]);
  });

  it('gives a file under public/ a 16:9 box and no srcset', () => {
    const tag = attributes(img(renderToStaticMarkup(<Figure src="/images/map.svg" alt="Map" />)));
    expect(tag).toMatchObject({ src: '/images/map.svg', width: '1200', height: '675', loading: 'lazy' });
    expect(tag.srcset).toBeUndefined();
    expect(tag.sizes).toBeUndefined();
  });
});
