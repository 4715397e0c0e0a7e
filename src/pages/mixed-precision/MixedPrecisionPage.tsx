import type { PageProps } from '../pageProps';

/** Being built this session. */
export default function MixedPrecisionPage(_props: PageProps) {
  return <article className="page"><h1>mixed-precision</h1></article>;
}
