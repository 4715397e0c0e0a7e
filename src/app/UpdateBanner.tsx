import { useUpdateOffer } from './serviceWorker';
import './updateBanner.css';

/** "A new version is available — reload", while a newer version of the notebook waits (serviceWorker.ts). */
export function UpdateBanner() {
  const apply = useUpdateOffer();
  if (!apply) return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner">
      A new version is available —{' '}
      <button type="button" onClick={apply}>
        reload
      </button>
    </div>
  );
}
