// Error boundaries: an error while drawing one demo, or one routed page,
// replaces only that part with what failed and a button that mounts it
// afresh; the sidebar, the other demos and the other sections keep working.
// A chunk that no longer exists after a redeploy (or cannot load offline)
// says so instead (failure.ts). Boundaries catch errors thrown while React
// renders or runs effects, not those of event handlers or the worker, which
// the trainers report themselves.
import { Component, Fragment, type ReactNode } from 'react';
import { describeFailure, type BoundaryScope, type Failure } from './failure';

interface BoundaryProps {
  scope: BoundaryScope;
  /** What the boundary guards, in the reader's words: a demo's or a section's title. */
  name: string;
  children: ReactNode;
  /** Called before the failed part mounts again (App uses it to retry a page chunk that did not load). */
  onRetry?: () => void;
}

export interface BoundaryState {
  /** Whether a child threw (what it threw may be anything, undefined included). */
  caught: boolean;
  error: unknown;
  /** Bumped on every retry, so the children mount afresh rather than reuse a broken instance's state. */
  generation: number;
}

const CLEAN: Omit<BoundaryState, 'generation'> = { caught: false, error: undefined };

export class ErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  state: BoundaryState = { ...CLEAN, generation: 0 };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { caught: true, error };
  }

  /** Mounts the children again (the button), or reloads the notebook where the failure calls for it. */
  retry = (failure: Failure): void => {
    if (failure.reloadsApp) {
      window.location.reload();
      return;
    }
    this.props.onRetry?.();
    this.setState((s) => ({ ...CLEAN, generation: s.generation + 1 }));
  };

  render(): ReactNode {
    const { scope, name, children } = this.props;
    if (!this.state.caught)
      return (
        <Fragment key={this.state.generation}>
          {scope !== 'app' && <FaultProbe name={name} />}
          {children}
        </Fragment>
      );
    const online = typeof navigator === 'undefined' || navigator.onLine !== false;
    const failure = describeFailure(this.state.error, scope, name, online);
    const notice = <FailureNotice failure={failure} scope={scope} onAction={() => this.retry(failure)} />;
    if (scope !== 'page') return notice;
    // A failed page keeps its title, so the reader (and a screen reader) knows which section it is.
    return (
      <article className="page">
        <h1>{name}</h1>
        {notice}
      </article>
    );
  }
}

/** What failed, in words, and the one button that helps. */
export function FailureNotice({
  failure,
  scope,
  onAction,
}: {
  failure: Failure;
  scope: BoundaryScope;
  onAction: () => void;
}) {
  return (
    <div
      className="notice notice-error boundary-failure"
      role="alert"
      data-testid="boundary-failure"
      data-kind={failure.kind}
      data-scope={scope}
    >
      <p>
        <strong>{failure.title}</strong>
      </p>
      {failure.detail && <p>{failure.detail}</p>}
      <button type="button" onClick={onAction}>
        {failure.action}
      </button>
    </div>
  );
}

/**
 * A test hook: the end-to-end tests put a demo's or a section's name in
 * `window.__notebookFaults`, and this throws while rendering it, as a bug
 * would. Nothing in the notebook sets it, and a link cannot.
 */
function FaultProbe({ name }: { name: string }): null {
  const faults = (globalThis as { __notebookFaults?: unknown }).__notebookFaults;
  if (Array.isArray(faults) && faults.includes(name)) throw new Error(`test fault in “${name}”`);
  return null;
}
