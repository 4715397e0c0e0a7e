import type { PageProps } from '../pageProps';

/** Being built this session. */
export default function InitializationPage(_props: PageProps) {
  return <article className="page"><h1>initialization</h1></article>;
}
