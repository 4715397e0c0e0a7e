import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ErrorBoundary } from './ErrorBoundary';

/**
 * Mounts `children` once the placeholder comes near the viewport and keeps
 * them mounted. Demos that start their own training worker use it, so a page
 * with several of them does not start every worker (and load every model)
 * the moment it opens. Once mounted they sit in an error boundary, so an error
 * while drawing them replaces only this section's demo (with what failed and
 * a "Reload this demo" button), not the page.
 */
export function LazyMount({
  children,
  placeholder,
  minHeight = 200,
  name,
}: {
  children: ReactNode;
  placeholder: ReactNode;
  minHeight?: number;
  /** What the section's demo is called (its trainer's title), for the message if it fails. */
  name: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (shown || !el) return;
    if (typeof IntersectionObserver === 'undefined') {
      setShown(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setShown(true), {
      rootMargin: '300px',
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [shown]);
  if (shown)
    return (
      <ErrorBoundary scope="demo" name={name}>
        {children}
      </ErrorBoundary>
    );
  return (
    <div ref={ref} style={{ minHeight }} className="lazy-placeholder">
      {placeholder}
    </div>
  );
}
