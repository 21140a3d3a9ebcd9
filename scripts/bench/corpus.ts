// The synthetic corpus of the benchmarks (`npm run bench:content`, the /following phase of
// `npm run bench:http`): articles in the same MDX format as content/ — headings, lists, sometimes a
// GFM table and Figure/PullQuote/Callout — from a seeded PRNG, so every run with the same seed,
// count, topic count and end time writes the same files. By default 3 topics and 2 authors;
// `topics` (up to 30) adds more topics, and articles are then spread evenly over all of them.
// Run with tsx (`node --import tsx`).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** mulberry32: small seeded PRNG, so every run generates the same corpus. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Rand, p: number) => r() < p;

const TOPICS = {
  'northport-flood-updates': {
    title: 'Northport flood updates',
    description: 'Live coverage of flooding on the River Auden: warnings, evacuations, travel and recovery.',
    live: true,
  },
  transport: {
    title: 'Transport',
    description: 'Trams, buses, bridges and roads across Northport and the Auden valley.',
    live: false,
  },
  'city-hall': {
    title: 'City Hall',
    description: 'Northport City Council: budgets, votes, planning and the people who run the city.',
    live: false,
  },
} as const;
const TOPIC_SLUGS = Object.keys(TOPICS) as (keyof typeof TOPICS)[];
/** Topics added, in this order, when a corpus asks for more than the 3 above. */
const MORE_TOPICS: [title: string, description: string][] = [
  ['Lowmarsh', 'News from Lowmarsh: the estate, the marsh and the people who live there.'],
  ['Quayside', 'The quay, its shops, cafés and the fishing fleet.'],
  ['Schools', 'Schools, colleges and childcare across Northport.'],
  ['Health', 'Hospitals, GP surgeries and public health in the Auden valley.'],
  ['Weather', 'Forecasts, storms and the climate of the Northport coast.'],
  ['Business', 'Companies, jobs and the local economy.'],
  ['Housing', 'Rents, new homes, planning rows and the housing list.'],
  ['Environment', 'The river, the estuary, air quality and green spaces.'],
  ['Courts', 'Cases heard at Northport Crown and magistrates’ courts.'],
  ['Policing', 'Northport police: crime figures, operations and accountability.'],
  ['The port', 'Ships, cargo and the harbour board.'],
  ['University', 'Northport University: research, students and staff.'],
  ['Arts', 'Theatre, galleries, music and the arts funding rows.'],
  ['Sport', 'Northport Town, the rowing clubs and grassroots sport.'],
  ['Ferrywick', 'News from Ferrywick and the north bank.'],
  ['Millbrook', 'News from Millbrook and the valley villages.'],
  ['Saltholm', 'News from Saltholm island and its causeway.'],
  ['Elections', 'Council and parliamentary elections, candidates and results.'],
  ['Energy', 'Power cuts, the tidal scheme and energy bills.'],
  ['Cycling', 'Cycle lanes, the bike-share scheme and road safety.'],
  ['Heritage', 'Old buildings, the museum and the city’s history.'],
  ['Food and drink', 'Restaurants, markets and food banks.'],
  ['Water', 'Drinking water, sewers and the water company.'],
  ['Libraries', 'Library openings, closures and what they lend.'],
  ['Parks', 'Parks, playgrounds and the Auden riverside walk.'],
  ['Nightlife', 'Bars, clubs and the late-night economy.'],
  ['Tourism', 'Visitors, hotels and the summer season.'],
];
const MAX_TOPICS = TOPIC_SLUGS.length + MORE_TOPICS.length;
type TopicDef = { title: string; description: string; live: boolean };
/** The first `n` topics of the corpus, slug → definition (the 3 original ones first). */
export function corpusTopics(n = TOPIC_SLUGS.length): Map<string, TopicDef> {
  if (!Number.isInteger(n) || n < 1 || n > MAX_TOPICS)
    throw new Error(`a corpus has 1 to ${MAX_TOPICS} topics, asked for ${n}`);
  const all: [string, TopicDef][] = [
    ...Object.entries(TOPICS),
    ...MORE_TOPICS.map(([title, description]): [string, TopicDef] => [
      title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      { title, description, live: false },
    ]),
  ];
  return new Map(all.slice(0, n));
}
const AUTHORS = {
  'maya-okafor': { name: 'Maya Okafor', role: 'City Hall editor' },
  'priya-raman': { name: 'Priya Raman', role: 'Transport correspondent' },
} as const;
const AUTHOR_SLUGS = Object.keys(AUTHORS) as (keyof typeof AUTHORS)[];

const PLACES = [
  'Lowmarsh',
  'Quayside',
  'Ferrywick',
  'Millbrook',
  'Kingsway',
  'Saltholm',
  'Harbour Road',
  'Corn Exchange',
  'Millgate',
  'the Auden estuary',
  'east Northport',
  'the old town',
];
const PEOPLE = [
  ['Ingrid Castell', 'the mayor'],
  ['Ruth Abernethy', 'the opposition leader'],
  ['Farida Osei', 'the council’s emergency planning manager'],
  ['Mira Castellanos', 'head of projects at Northport Tramways'],
  ['Dr Anouk Verhoef', 'a coastal ecologist at Northport University'],
  ['Tom Hallam', 'who runs a bakery on the quay'],
  ['Sanjay Mehta', 'chair of the Lowmarsh residents’ association'],
] as const;
const SUBJECTS = [
  'The council',
  'Northport Tramways',
  'The river authority',
  'Fire and coastguard crews',
  'The operator',
  'Residents',
  'Engineers',
  'Volunteers',
  'The mayor’s office',
  'Forecasters',
  'Bus drivers',
  'Shop owners',
];
const VERBS = [
  'said',
  'confirmed',
  'warned',
  'announced',
  'expected',
  'estimated',
  'told Dispatch',
  'admitted',
  'insisted',
  'promised',
];
const THINGS = [
  'the flood gates',
  'the tram depot',
  'the sea wall',
  'the budget',
  'the consultation',
  'the rest centres',
  'the bridge inspection',
  'the pumping station',
  'the evacuation plan',
  'the recovery fund',
  'signalling on Line 2',
  'the river gauge',
  'the night buses',
  'the sandbag points',
];
const CLAUSES = [
  'would stay closed until further notice',
  'had been checked twice overnight',
  'was running about twenty minutes behind schedule',
  'needed another six weeks of work',
  'had cost more than the original estimate',
  'was reopening on a limited timetable',
  'remained the priority for the week',
  'would be reviewed by an independent panel',
  'had held, although only just',
  'was not part of the original plan',
  'would be debated at the next full council meeting',
  'was safe to use again after an inspection',
];
const ADVERBIALS = [
  'On Tuesday,',
  'Late last night,',
  'By mid-morning,',
  'Earlier this week,',
  'Since the weekend,',
  'For now,',
  'In a statement,',
  'At a briefing on the quay,',
  'According to the latest figures,',
  '',
];
const HEADINGS = [
  'What happens next',
  'Why it matters',
  'The background',
  'What residents say',
  'The numbers',
  'How we got here',
  'The questions',
  'What we know',
  'Travel',
  'The cost',
  'What the council says',
  'A long road back',
  'Getting help',
];
const TITLE_A = [
  'Council',
  'Tram',
  'River',
  'Bridge',
  'Budget',
  'Flood',
  'Bus',
  'Harbour',
  'Ferry',
  'Sea wall',
  'Depot',
  'Rest centre',
  'Mayor',
];
const TITLE_B = [
  'vote delayed',
  'service returns',
  'level falls',
  'closed after inspection',
  'plan approved',
  'warning lifted',
  'routes diverted',
  'works begin',
  'crossing suspended',
  'repairs overrun',
  'reopens early',
  'consultation extended',
  'questions remain',
];
const IMAGES = [
  '/images/council-chamber.svg',
  '/images/flood-map.svg',
  '/images/river-gauge.svg',
  '/images/tram-depot.svg',
  '/images/sea-wall.svg',
  '/images/sandbags.svg',
  '/images/storm-radar.svg',
  '/images/rest-centre.svg',
];

export function sentence(r: Rand): string {
  switch (int(r, 0, 4)) {
    case 0:
      return `${pick(r, ADVERBIALS)} ${pick(r, SUBJECTS).replace(/^The /, 'the ')} ${pick(r, VERBS)} that ${pick(r, THINGS)} in ${pick(r, PLACES)} ${pick(r, CLAUSES)}.`
        .trim()
        .replace(/^./, (c) => c.toUpperCase());
    case 1: {
      const [name, role] = pick(r, PEOPLE);
      return `“We knew ${pick(r, THINGS)} ${pick(r, CLAUSES)},” said ${name}, ${role}.`;
    }
    case 2:
      return `About ${int(r, 2, 90) * 100} people in ${pick(r, PLACES)} were affected, and ${int(r, 3, 60)} homes were still without power at ${int(r, 1, 12)} o’clock.`;
    case 3:
      return `${pick(r, SUBJECTS)} ${pick(r, VERBS)} the work on ${pick(r, THINGS)} would take ${int(r, 2, 18)} weeks and cost about €${int(r, 1, 40)}m.`;
    default:
      return `The ${pick(r, ['river', 'tide', 'forecast', 'timetable', 'budget'])} ${pick(r, ['rose', 'changed', 'slipped', 'held', 'fell'])} ${pick(r, ['again', 'sharply', 'overnight', 'as expected', 'faster than planned'])}, and ${pick(r, THINGS)} ${pick(r, CLAUSES)}.`;
  }
}

const countWords = (s: string) => s.split(/\s+/).filter(Boolean).length;

function paragraph(r: Rand): string {
  const parts: string[] = [];
  for (let i = int(r, 2, 5); i > 0; i--) parts.push(sentence(r));
  let p = parts.join(' ');
  if (chance(r, 0.15)) p = p.replace(/the ([a-z]+ [a-z]+)/, 'the **$1**');
  if (chance(r, 0.1)) p = p.replace(/ in ([A-Z][a-z]+)/, ' in *$1*');
  if (chance(r, 0.1)) p += ` [Read our explainer](/topics/${pick(r, TOPIC_SLUGS)}).`;
  return p;
}

function list(r: Rand): string {
  const ordered = chance(r, 0.3);
  const items = Array.from({ length: int(r, 3, 6) }, (_, i) => {
    const text = `${pick(r, THINGS).replace(/^./, (c) => c.toUpperCase())} in ${pick(r, PLACES)} ${pick(r, CLAUSES)}`;
    return ordered ? `${i + 1}. ${text}` : `- ${text}`;
  });
  return items.join('\n');
}

function table(r: Rand): string {
  const rows = Array.from(
    { length: int(r, 3, 6) },
    () =>
      `| ${pick(r, PLACES)} | ${int(r, 1, 99)} | ${(r() * 6).toFixed(2)} m | ${pick(r, ['open', 'closed', 'partly open', 'under review'])} |`,
  );
  return ['| Area | Homes affected | Peak level | Status |', '| :--- | ---: | ---: | :--- |', ...rows].join(
    '\n',
  );
}

function figure(r: Rand): string {
  return `<Figure src="${pick(r, IMAGES)}" alt="Illustration of ${pick(r, THINGS)} in ${pick(r, PLACES)}" caption="${sentence(r).replace(/"/g, '')}" credit="Dispatch graphics" />`;
}
function pullQuote(r: Rand): string {
  const [name, role] = pick(r, PEOPLE);
  return `<PullQuote by="${name}, ${role}">\n${sentence(r)} ${sentence(r)}\n</PullQuote>`;
}
function callout(r: Rand): string {
  const title = chance(r, 0.5)
    ? ` title="${pick(r, ['Where to get help', 'Travel advice', 'Key dates', 'How to respond'])}"`
    : '';
  return `<Callout${title}>\n${sentence(r)} Call **0800 123 456** or visit the council’s website.\n</Callout>`;
}

type Generated = { rel: string; slug: string; source: string; topics: string[]; publishedAt: string };

function dateOf(r: Rand, end: number): string {
  const span = 3 * 365 * 24 * 3600_000;
  const t = end - Math.floor(r() * span);
  return new Date(Math.floor(t / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');
}

function article(r: Rand, i: number, end: number, topicSlugs: readonly string[]): Generated {
  const isUpdate = chance(r, 0.35);
  const target = isUpdate ? int(r, 150, 320) : int(r, 250, 900);
  const title = `${pick(r, TITLE_A)} ${pick(r, TITLE_B)} in ${pick(r, PLACES)}`;
  const slug = `${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}-${i}`;
  const topics = chance(r, 0.3)
    ? [pick(r, topicSlugs), pick(r, topicSlugs)].filter((t, k, a) => a.indexOf(t) === k)
    : [pick(r, topicSlugs)];
  const authors = chance(r, 0.15) ? [...AUTHOR_SLUGS] : [pick(r, AUTHOR_SLUGS)];
  const publishedAt = dateOf(r, end);

  const fm = [
    '---',
    `title: ${JSON.stringify(title)}`,
    'topics:',
    ...topics.map((t) => `  - ${t}`),
    `publishedAt: "${publishedAt}"`,
  ];
  if (chance(r, 0.2))
    fm.push(
      `updatedAt: "${new Date(Date.parse(publishedAt) + int(r, 1, 48) * 3600_000).toISOString().replace('.000Z', 'Z')}"`,
    );
  if (isUpdate) fm.push('kind: update');
  if (!isUpdate && chance(r, 0.5)) fm.push(`summary: ${JSON.stringify(sentence(r))}`);
  fm.push('authors:', ...authors.map((a) => `  - ${a}`));
  if (!isUpdate && chance(r, 0.15)) {
    fm.push(
      'image:',
      `  src: ${pick(r, IMAGES)}`,
      `  alt: ${JSON.stringify(`Illustration of ${pick(r, THINGS)}`)}`,
    );
  }
  if (chance(r, 0.05)) fm.push('keyEvent: true');
  fm.push('---', '');

  const blocks: string[] = [];
  let words = 0;
  let sinceHeading = 0;
  const extras = {
    list: !isUpdate && chance(r, 0.35),
    table: !isUpdate && chance(r, 0.12),
    figure: chance(r, isUpdate ? 0.05 : 0.2),
    pullQuote: !isUpdate && chance(r, 0.2),
    callout: chance(r, 0.15),
  };
  const add = (block: string) => {
    blocks.push(block);
    const w = countWords(block);
    words += w;
    sinceHeading += w;
  };
  add(paragraph(r));
  while (words < target) {
    if (!isUpdate && sinceHeading > int(r, 140, 260) && words < target - 80) {
      blocks.push(`## ${pick(r, HEADINGS)}`);
      sinceHeading = 0;
    }
    const roll = r();
    if (extras.list && roll < 0.15) {
      add(list(r));
      extras.list = false;
    } else if (extras.table && roll < 0.25) {
      add(table(r));
      extras.table = false;
    } else if (extras.figure && roll < 0.35) {
      add(figure(r));
      extras.figure = false;
    } else if (extras.pullQuote && roll < 0.45) {
      add(pullQuote(r));
      extras.pullQuote = false;
    } else if (extras.callout && roll < 0.55) {
      add(callout(r));
      extras.callout = false;
    } else add(paragraph(r));
  }
  const [yyyy, mm] = publishedAt.split('-');
  return {
    rel: `articles/${yyyy}/${mm}/${slug}.mdx`,
    slug,
    topics,
    publishedAt,
    source: fm.join('\n') + '\n' + blocks.join('\n\n') + '\n',
  };
}

export type CorpusArticle = { slug: string; topics: string[]; publishedAt: string };
export type GenerateOptions = {
  /** PRNG seed (1). */
  seed?: number;
  /** Number of topics, 3 (the original ones) to MAX_TOPICS. */
  topics?: number;
  /** The newest possible publication time, epoch ms (a day ago: everything published). */
  end?: number;
};

/**
 * Writes `count` articles, their topics and authors into `dir`. Resolves to the MDX size, the
 * word count, and each article's slug, topics and publication time (in generation order).
 */
export async function generate(
  dir: string,
  count: number,
  {
    seed = 1,
    topics: topicCount = TOPIC_SLUGS.length,
    end = Date.now() - 24 * 3600_000,
  }: GenerateOptions = {},
): Promise<{ bytes: number; words: number; articles: CorpusArticle[] }> {
  const r = prng(seed);
  const topics = corpusTopics(topicCount);
  const topicSlugs = [...topics.keys()];
  const write = async (rel: string, source: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), source);
  };
  for (const [slug, t] of topics) {
    await write(
      `topics/${slug}.mdx`,
      `---\ntitle: ${JSON.stringify(t.title)}\ndescription: ${JSON.stringify(t.description)}\nlive: ${t.live}\n---\n\n${t.description}\n`,
    );
  }
  for (const [slug, a] of Object.entries(AUTHORS)) {
    await write(
      `authors/${slug}.mdx`,
      `---\nname: ${JSON.stringify(a.name)}\nrole: ${JSON.stringify(a.role)}\n---\n\n${a.name} reports for Dispatch.\n`,
    );
  }
  let bytes = 0;
  let words = 0;
  const articles: CorpusArticle[] = [];
  const batch: Promise<void>[] = [];
  for (let i = 1; i <= count; i++) {
    const a = article(r, i, end, topicSlugs);
    bytes += Buffer.byteLength(a.source);
    words += countWords(a.source.slice(a.source.indexOf('\n---\n') + 5));
    articles.push({ slug: a.slug, topics: a.topics, publishedAt: a.publishedAt });
    batch.push(write(a.rel, a.source));
    if (batch.length >= 64) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  return { bytes, words, articles };
}
