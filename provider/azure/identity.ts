// The control plane's user-assigned identity and its role assignments. A
// user-assigned identity exists before the cluster, so its grants on the VNet
// are in place (and propagating) when AKS first joins the subnet.
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { ResourceGroupRefs } from "./network";
import { roleDefinitionId, stableGuid } from "./render";

export interface IdentityRefs {
    id: pulumi.Output<string>;
    principalId: pulumi.Output<string>;
}

export function controlPlaneIdentity(parent: pulumi.Resource, name: string, identityName: string, rg: ResourceGroupRefs,
    tags: pulumi.Input<Record<string, string>>): IdentityRefs {
    const id = new managedidentity.UserAssignedIdentity(`${name}-aks-identity`, {
        resourceName: identityName, resourceGroupName: rg.name, location: rg.location, tags,
    }, { parent });
    return { id: id.id, principalId: id.principalId };
}

/**
 * One role on one scope for the identity. The assignment's name is a GUID
 * derived from the stack and the child's name (never random); a changed scope
 * deletes the old assignment first, since the name stays the same.
 */
export function grant(parent: pulumi.Resource, childName: string, principalId: pulumi.Input<string>, scope: pulumi.Input<string>,
    roleGuid: string, dependsOn: pulumi.Resource[] = []): authorization.RoleAssignment {
    return new authorization.RoleAssignment(childName, {
        roleAssignmentName: stableGuid([pulumi.getProject(), pulumi.getStack(), childName]),
        principalId,
        // Without it Azure looks the principal up in Entra ID, which fails for an identity seconds old.
        principalType: "ServicePrincipal",
        roleDefinitionId: pulumi.output(scope).apply((s) => roleDefinitionId(s, roleGuid)),
        scope,
    }, { parent, deleteBeforeReplace: true, dependsOn });
}
