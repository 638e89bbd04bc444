// Alert routing -> one AlertmanagerConfig (monitoring.coreos.com/v1alpha1)
// that the stack's Alertmanager uses as its whole configuration
// (alertmanagerSpec.alertmanagerConfiguration). Credentials are Secret
// references that prometheus-operator reads in the cluster: no URL or key
// passes through Pulumi.

export const NULL_RECEIVER = "null";
export const ALERTING_DEFAULT_GROUP_BY = ["alertname", "namespace"];

export interface SecretKey { name: string; key: string }
export interface Receiver {
    name: string;
    severities?: string[];
    webhookUrl?: SecretKey;
    slackApiUrl?: SecretKey;
    slackChannel?: string;
    pagerdutyRoutingKey?: SecretKey;
}

/** The kinds a receiver can be; exactly one is set. */
export const RECEIVER_KINDS = ["webhookUrl", "slackApiUrl", "pagerdutyRoutingKey"] as const;

/**
 * Every alert goes to each receiver whose severities match (all when unset);
 * `continue` lets one alert reach several receivers. The root route's
 * `null` receiver takes what none matched.
 */
export function alertmanagerConfigSpec(receivers: Receiver[], groupBy?: string[]): any {
    return {
        route: {
            receiver: NULL_RECEIVER,
            groupBy: groupBy?.length ? groupBy : ALERTING_DEFAULT_GROUP_BY,
            routes: receivers.map((r) => ({
                receiver: r.name,
                continue: true,
                ...(r.severities?.length ? { matchers: [{ name: "severity", matchType: "=~", value: r.severities.join("|") }] } : {}),
            })),
        },
        receivers: [
            { name: NULL_RECEIVER },
            ...receivers.map((r) => ({
                name: r.name,
                ...(r.webhookUrl ? { webhookConfigs: [{ urlSecret: r.webhookUrl, sendResolved: true }] } : {}),
                ...(r.slackApiUrl ? { slackConfigs: [{ apiURL: r.slackApiUrl, sendResolved: true, ...(r.slackChannel ? { channel: r.slackChannel } : {}) }] } : {}),
                ...(r.pagerdutyRoutingKey ? { pagerdutyConfigs: [{ routingKey: r.pagerdutyRoutingKey, sendResolved: true }] } : {}),
            })),
        ],
    };
}
