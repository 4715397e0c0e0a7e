import type { PageProps } from '../pageProps';

/** Being built this session. */
export default function Gpt3RecipePage(_props: PageProps) {
  return <article className="page"><h1>gpt3-recipe</h1></article>;
}
