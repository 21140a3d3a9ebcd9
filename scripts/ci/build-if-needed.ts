// Builds the app unless .next holds a build of exactly this source and these build-time settings
// (`npm run test:e2e` and `test:multi` run it first). The check itself is ensureBuild() in
// scripts/start.mjs, which `npm start` runs without tsx.
import { ensureBuild } from '../start.mjs';

process.exit(ensureBuild());
