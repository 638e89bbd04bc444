// The dedicated, least-privilege service account of GKE nodes.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { NODE_SERVICE_ACCOUNT_ROLES } from "./render";

export interface NodeServiceAccount {
    account: gcp.serviceaccount.Account;
    members: gcp.projects.IAMMember[];
    /** The account's email; resources that take it also wait for every role grant. */
    email: pulumi.Output<string>;
}

/** Creates `<name>-nodes-sa` with the node roles only (no Editor, no default compute account). */
export function nodeServiceAccount(
    parent: pulumi.Resource, name: string, accountId: pulumi.Input<string>, project: pulumi.Input<string> | undefined,
    apis: { iam?: pulumi.Resource[]; projectIam?: pulumi.Resource[] } = {},
): NodeServiceAccount {
    const account = new gcp.serviceaccount.Account(`${name}-nodes-sa`, {
        accountId,
        project,
        displayName: "Volley GKE nodes (least privilege)",
    }, { parent, dependsOn: apis.iam ?? [] });
    const members = NODE_SERVICE_ACCOUNT_ROLES.map((role) => new gcp.projects.IAMMember(`${name}-nodes-${role.split("/")[1].replace(/\./g, "-")}`, {
        project: project ?? account.project,
        role,
        member: account.member,
    // Project IAM bindings go through the Resource Manager API.
    }, { parent, dependsOn: apis.projectIam ?? [] }));
    const email = pulumi.all([account.email, ...members.map((m) => m.id)]).apply(([e]) => e);
    return { account, members, email };
}
