import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Mounts `children` once the placeholder comes near the viewport and keeps
 * them mounted. Demos that start their own training worker use it, so a page
 * with several of them does not start every worker (and load every model)
 * the moment it opens.
 */
export function LazyMount({
  children,
  placeholder,
  minHeight = 200,
}: {
  children: ReactNode;
  placeholder: ReactNode;
  minHeight?: number;
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
  if (shown) return <>{children}</>;
  return (
    <div ref={ref} style={{ minHeight }} className="lazy-placeholder">
      {placeholder}
    </div>
  );
}
