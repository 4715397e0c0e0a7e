import { PARTS } from '../sections';
import { BackendBadge } from '../../components/BackendBadge';
import type { PageProps } from '../pageProps';
import './home.css';

export default function HomePage({ location }: PageProps) {
  return (
    <article className="page home">
      <header className="page-header">
        <h1>Training large language models, live</h1>
        <p className="lead">
          A notebook that follows a lecture on how LLMs are trained, one section at a time. Every section has its
          equations beside a small model that trains here, in your browser: change a hyperparameter and watch what
          happens.
        </p>
        <p>
          Compute: <BackendBadge />
        </p>
      </header>
      {PARTS.map((part) => (
        <section key={part.title} className="toc-part">
          <h2>{part.title}</h2>
          <ul className="toc">
            {part.sections.map((s) => (
              <li key={s.path}>
                <a href={location.hrefFor(s.path)}>
                  <span className="toc-title">{s.title}</span>
                  {!s.built && <span className="tag">coming</span>}
                </a>
                <p>{s.summary}</p>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <section className="prose">
        <h2>How to use it</h2>
        <p>
          Settings live in the page address, so a link reproduces an exact run: same seed, same data order, same curve.
          Presenter mode (the button at the top, or <kbd>p</kbd>) enlarges the type for a lecture hall; on a page with a
          trainer, <kbd>space</kbd> trains or pauses, <kbd>s</kbd> takes one step and <kbd>r</kbd> resets; <kbd>?</kbd>{' '}
          lists the keys.
        </p>
      </section>
    </article>
  );
}
