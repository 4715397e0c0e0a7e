// Run by npm before `npm test` (the pretest script): the end-to-end stage needs
// a Chromium, so get one now, or stop at once with the command that fixes it,
// rather than after minutes of type checks, unit tests and a build.
//   1. one is there (CHROMIUM_PATH, Playwright's own, Debian's /usr/bin/chromium): go on;
//   2. Playwright's own download, where the network allows it;
//   3. Debian's chromium, where this user may install packages (root);
//   4. otherwise: say which command installs one, and fail.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { browserAvailable } from './chromium.mjs';

function run(command, args, timeout) {
  const r = spawnSync(command, args, { stdio: 'inherit', timeout });
  return r.status === 0;
}

if (!browserAvailable() && !process.env.CHROMIUM_PATH) {
  console.log('No Chromium for the end-to-end tests yet: trying Playwright’s download…');
  run('npx', ['playwright', 'install', 'chromium'], 300_000);
  if (!browserAvailable() && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('No download: installing Debian’s chromium…');
    if (run('apt-get', ['update', '-qq'], 300_000)) run('apt-get', ['install', '-y', '-qq', 'chromium'], 600_000);
  }
}

if (!browserAvailable()) {
  const where = process.env.CHROMIUM_PATH
    ? `CHROMIUM_PATH (${process.env.CHROMIUM_PATH}) names no file. `
    : 'None could be found or installed. ';
  console.error(
    `\nThe end-to-end tests need Chromium. ${where}Install one with\n` +
      '  sudo apt-get install chromium        (Debian, Ubuntu)\n' +
      'or, with internet access,\n' +
      '  npx playwright install chromium\n' +
      'then run npm test again (or set CHROMIUM_PATH to a Chromium binary).\n',
  );
  process.exit(1);
}
