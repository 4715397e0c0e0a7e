import { useBackendStatus } from '../train/backendStore';

/** The compute backend that runs now; its reason is one hover or tap away. */
export function BackendBadge() {
  const status = useBackendStatus();
  const text = status.state === 'running' ? status.report.name : status.state === 'starting' ? 'starting…' : 'none';
  const reason =
    status.state === 'running' ? status.report.reason : status.state === 'failed' ? status.message : 'Starting a backend';
  return (
    <span className={`backend-badge backend-${status.state}`} title={reason}>
      <span className="backend-label">backend</span>{' '}
      <span data-testid="backend-badge" aria-label={`Compute backend: ${text}. ${reason}`}>
        {text}
      </span>
    </span>
  );
}
