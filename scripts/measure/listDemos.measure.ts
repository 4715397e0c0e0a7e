// Prints the claimed demos' routes and trainer names as one JSON line, for
// scripts/claims_browser.mjs (plain JavaScript, which cannot import the
// TypeScript registry itself).
import { it } from 'vitest';
import { CLAIMED_DEMOS } from './claimedDemos';

it('lists the claimed demos', () => {
  console.log(
    `DEMOS ${JSON.stringify(CLAIMED_DEMOS.map(({ id, page, trainer, lazyHeading }) => ({ id, page, trainer, lazyHeading })))}`,
  );
});
