import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { AccountMenu } from '@/app/islands';
import { ThemeToggle } from '@/components/theme-toggle';
import { config } from '@/lib/env';
import { feedPaths } from '@/lib/seo/metadata';
import './globals.css';

export const metadata: Metadata = {
  metadataBase: new URL(config.SITE_URL),
  title: { default: config.SITE_NAME, template: `%s · ${config.SITE_NAME}` },
  description: 'Live news and reporting.',
  applicationName: config.SITE_NAME,
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#121212' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  const feeds = feedPaths();
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Blocking on purpose: applies the saved theme before first paint. It is 200 bytes. */}
        {/* eslint-disable-next-line @next/next/no-sync-scripts */}
        <script src="/theme.js" />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="bar">
            <Link className="brand" href="/">
              {config.SITE_NAME}
            </Link>
            <nav className="site-nav" aria-label="Main">
              <ul>
                <li>
                  <Link href="/">Front page</Link>
                </li>
                <li>
                  <Link href="/topics">Topics</Link>
                </li>
                <li>
                  <Link href="/search">Search</Link>
                </li>
              </ul>
            </nav>
            <ThemeToggle />
            <AccountMenu />
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="bar">
            <span>{config.SITE_NAME} · independent live news</span>
            <a href={feeds.rss}>RSS</a>
            <a href={feeds.atom}>Atom</a>
            <a href={feeds.json}>JSON Feed</a>
          </div>
        </footer>
      </body>
    </html>
  );
}
