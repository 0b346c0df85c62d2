import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric/index.js';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy/index.js';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel/index.js';
import { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config/index.js';
import { Sleep } from '@cdktf/provider-time/lib/sleep/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** What the alerts watch. */
export interface MonitoringProps {
  project: string;
  region: string;
  /** The decompress push subscription's id, whose dead letters are counted. */
  subscription: string;
  alertEmail?: string;
  /** What the recorder's uptime check needs first: the function, and the agent's invoker grant. */
  dependsOn: ITerraformDependable[];
}

/**
 * How long an alert policy waits after the log-based metrics it reads are created: Monitoring
 * answers "Cannot find metric(s)... it could take up to 10 minutes to become available" until
 * then (terraform-provider-google#11102). The wait runs beside the functions' builds, which
 * take longer, and again only when a metric is replaced.
 */
export const METRIC_AVAILABILITY_DELAY = '600s';

/** Log lines the metrics count: the decompress and recorder functions write them. */
export const LOG_FILTERS = {
  // shared/pipeline/decompress.ts, once a file is recorded failed for good.
  failedFiles:
    'resource.type="cloud_run_revision" AND resource.labels.service_name="decompress" AND jsonPayload.message="file failed"',
  // shared/live/recorder/poll.ts, a poll that broke unexpectedly.
  pollFailures:
    'resource.type="cloud_run_revision" AND resource.labels.service_name="recorder-poll" AND jsonPayload.message="recorder poll failed"',
};

/**
 * Log-based metrics and alerts: files that failed, messages dead-lettered, polls that broke,
 * and the recorder in AUTH_ERROR (an authenticated uptime check reads `/api/state`, since an
 * expired session is a state, not a log line). With CHIMERA_ALERT_EMAIL they send mail.
 */
export class Alerts extends Construct {
  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { project } = props;
    const channels = props.alertEmail
      ? [
          new MonitoringNotificationChannel(this, 'email', {
            project,
            displayName: 'CHIMERA alerts',
            type: 'email',
            labels: { email_address: props.alertEmail },
          }).name,
        ]
      : [];
    const metrics = {
      failed: this.#metric('failed_files', LOG_FILTERS.failedFiles, props),
      pollFailures: this.#metric('recorder_poll_failures', LOG_FILTERS.pollFailures, props),
    };
    const metricsReady = new Sleep(this, 'metrics-available', {
      createDuration: METRIC_AVAILABILITY_DELAY,
      triggers: { failed: metrics.failed.id, pollFailures: metrics.pollFailures.id },
    });
    const anyIn5Minutes = (
      displayName: string,
      filter: string,
      dependsOn: ITerraformDependable[],
    ) =>
      new MonitoringAlertPolicy(this, displayName.replace(/\W+/g, '-').toLowerCase(), {
        project,
        displayName: `CHIMERA: ${displayName}`,
        combiner: 'OR',
        notificationChannels: channels,
        conditions: [
          {
            displayName,
            conditionThreshold: {
              filter,
              comparison: 'COMPARISON_GT',
              thresholdValue: 0,
              duration: '0s',
              aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_SUM' }],
            },
          },
        ],
        dependsOn,
      });
    anyIn5Minutes(
      'files failed',
      `metric.type="logging.googleapis.com/user/${metrics.failed.name}" AND resource.type="cloud_run_revision"`,
      [metricsReady],
    );
    anyIn5Minutes(
      'recorder poll failed',
      `metric.type="logging.googleapis.com/user/${metrics.pollFailures.name}" AND resource.type="cloud_run_revision"`,
      [metricsReady],
    );
    anyIn5Minutes(
      'messages dead-lettered',
      `metric.type="pubsub.googleapis.com/subscription/dead_letter_message_count" AND resource.type="pubsub_subscription" AND resource.label.subscription_id="${props.subscription}"`,
      [],
    );
    this.#authErrorCheck(props, channels);
  }

  #metric(name: string, filter: string, props: MonitoringProps): LoggingMetric {
    return new LoggingMetric(this, name, {
      project: props.project,
      name: `chimera/${name}`,
      filter,
      metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64' },
    });
  }

  /** Fails while `/api/state` says AUTH_ERROR: the recorder waits for a new Betfair session. */
  #authErrorCheck(props: MonitoringProps, channels: string[]): void {
    const check = new MonitoringUptimeCheckConfig(this, 'recorder-auth', {
      project: props.project,
      displayName: 'CHIMERA recorder session',
      period: '900s',
      timeout: '30s',
      monitoredResource: {
        type: 'cloud_run_revision',
        labels: { project_id: props.project, service_name: 'recorder-api', location: props.region },
      },
      httpCheck: {
        path: '/api/state',
        useSsl: true,
        validateSsl: true,
        serviceAgentAuthentication: { type: 'OIDC_TOKEN' },
      },
      contentMatchers: [
        {
          content: 'AUTH_ERROR',
          matcher: 'NOT_MATCHES_JSON_PATH',
          jsonPathMatcher: { jsonPath: '$.status', jsonMatcher: 'EXACT_MATCH' },
        },
      ],
      dependsOn: props.dependsOn,
    });
    new MonitoringAlertPolicy(this, 'recorder-auth-error', {
      project: props.project,
      displayName: 'CHIMERA: recorder in AUTH_ERROR (or unreachable)',
      combiner: 'OR',
      notificationChannels: channels,
      conditions: [
        {
          displayName: 'recorder session check failing',
          conditionThreshold: {
            filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="cloud_run_revision" AND metric.label.check_id="${check.uptimeCheckId}"`,
            comparison: 'COMPARISON_GT',
            thresholdValue: 1,
            duration: '900s',
            aggregations: [
              {
                alignmentPeriod: '1200s',
                perSeriesAligner: 'ALIGN_NEXT_OLDER',
                crossSeriesReducer: 'REDUCE_COUNT_FALSE',
                groupByFields: ['resource.label.*'],
              },
            ],
          },
        },
      ],
    });
  }
}
