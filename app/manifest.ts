import type { MetadataRoute } from 'next';
import { config } from '@/lib/env';

export default function manifest(): MetadataRoute.Manifest {
  return {
    name: config.SITE_NAME,
    short_name: config.SITE_NAME,
    description: 'Live news and reporting.',
    start_url: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#b3261e',
    icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  };
}
