import { M } from '../../components/Equation';
import type { BertExample } from '../../train/contract';

const KIND_LABEL = { mask: 'became [MASK]', random: 'became a random word', keep: 'selected, left unchanged' } as const;

/**
 * Training examples as the model sees them. Every token shows its position
 * and its segment (e_A or e_B); with `noised`, the masking function's input
 * x~ is shown with what happened at each selected position.
 */
export function ExampleList({
  examples,
  noised = false,
  labels = false,
}: {
  examples: readonly BertExample[];
  noised?: boolean;
  labels?: boolean;
}) {
  return (
    <ol className="examples" data-testid="bert-examples">
      {examples.map((ex, r) => (
        <li key={r} className="example">
          {labels && (
            <span className={`nsp-label ${ex.label === 'IsNext' ? 'is-next' : 'not-next'}`} data-testid="nsp-label">
              {ex.label}
            </span>
          )}
          <span className="example-tokens">
            {ex.tokens.map((tok, i) => {
              const kind = ex.kinds[i];
              const shown = noised ? ex.input[i] : tok;
              const seg = ex.segments[i] === 0 ? 'A' : 'B';
              const title = `position ${i}, segment ${seg}${noised && kind ? `; ${tok} ${KIND_LABEL[kind]}` : ''}`;
              return (
                <span key={i} className={`bert-token seg-${seg}${noised && kind ? ` kind-${kind}` : ''}`} title={title}>
                  <span className="bert-token-text">{shown}</span>
                  <span className="bert-token-meta" aria-hidden="true">
                    {i}·{seg}
                  </span>
                </span>
              );
            })}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** The legend shared by the token views. */
export function SegmentLegend() {
  return (
    <p className="legend-row muted">
      <span className="bert-token seg-A">
        <M>{'e_A'}</M>
      </span>{' '}
      tokens up to the first [SEP]{' '}
      <span className="bert-token seg-B">
        <M>{'e_B'}</M>
      </span>{' '}
      tokens after it; the small numbers are positions and segments.
    </p>
  );
}
