import type { Section } from '../sections';
import type { PageProps } from '../pageProps';

/** A section that is planned but not built yet: says so, and links onward. */
export default function ComingPage({ section, location }: PageProps & { section: Section }) {
  return (
    <article className="page">
      <header className="page-header">
        <h1>{section.title}</h1>
        <p className="lead">{section.summary}</p>
      </header>
      <p data-testid="coming">
        This section is coming: its live demos are not built yet. Meanwhile, the{' '}
        <a href={location.hrefFor('/objectives/decoder-only')}>decoder-only section</a> trains a tiny GPT in your
        browser.
      </p>
    </article>
  );
}
