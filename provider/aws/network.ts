// A new VPC over 2-6 explicit AZs: public subnets with an internet gateway,
// private subnets (nodes, pods, mount targets) behind one or per-AZ NAT
// gateways. Subnets are named by AZ and carved by planSubnets, so the plan
// never depends on a lookup and never drifts.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { planSubnets } from "./render";

type Tags = pulumi.Output<Record<string, string>>;

export interface Network {
    vpcId: pulumi.Output<string>;
    privateSubnetIds: pulumi.Output<string>[];
    publicSubnetIds: pulumi.Output<string>[];
    /** The private default routes; nodes must not start before they can reach the internet. */
    privateRoutes: pulumi.Resource[];
}

export interface NetworkInputs {
    cidrBlock: pulumi.Input<string>;
    availabilityZones: string[];
    natPerAz: boolean;
    tags: Tags;
    /** Extra tags of the private subnets (Karpenter's discovery tag). */
    privateSubnetTags?: Record<string, string>;
}

const withTags = (tags: Tags, extra: Record<string, string>) => tags.apply((t) => ({ ...t, ...extra }));

export function createVpc(parent: pulumi.Resource, name: string, n: NetworkInputs): Network {
    const o = { parent };
    const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
        cidrBlock: n.cidrBlock, enableDnsSupport: true, enableDnsHostnames: true, tags: withTags(n.tags, { Name: name }),
    }, o);
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: withTags(n.tags, { Name: name }) }, o);
    const plan = pulumi.output(n.cidrBlock).apply((c) => planSubnets(c, n.availabilityZones));

    const publicRt = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, tags: withTags(n.tags, { Name: `${name}-public` }) }, o);
    new aws.ec2.Route(`${name}-public-default`, { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, o);

    const publicSubnets = n.availabilityZones.map((az, i) => {
        const subnet = new aws.ec2.Subnet(`${name}-public-${az}`, {
            vpcId: vpc.id,
            availabilityZone: az,
            cidrBlock: plan.apply((p) => p[i].publicCidr),
            tags: withTags(n.tags, { Name: `${name}-public-${az}`, "kubernetes.io/role/elb": "1" }),
        }, o);
        new aws.ec2.RouteTableAssociation(`${name}-public-${az}`, { subnetId: subnet.id, routeTableId: publicRt.id }, o);
        return subnet;
    });

    const natAzs = n.natPerAz ? n.availabilityZones : n.availabilityZones.slice(0, 1);
    const nats = natAzs.map((az, i) => {
        const eip = new aws.ec2.Eip(`${name}-nat-${az}`, { domain: "vpc", tags: withTags(n.tags, { Name: `${name}-nat-${az}` }) }, o);
        // A NAT gateway needs the internet gateway attached to route anything.
        return new aws.ec2.NatGateway(`${name}-nat-${az}`, {
            allocationId: eip.id, subnetId: publicSubnets[i].id, tags: withTags(n.tags, { Name: `${name}-nat-${az}` }),
        }, { ...o, dependsOn: [igw] });
    });

    const privateRoutes: pulumi.Resource[] = [];
    const privateSubnets = n.availabilityZones.map((az, i) => {
        const subnet = new aws.ec2.Subnet(`${name}-private-${az}`, {
            vpcId: vpc.id,
            availabilityZone: az,
            cidrBlock: plan.apply((p) => p[i].privateCidr),
            tags: withTags(n.tags, { ...n.privateSubnetTags, Name: `${name}-private-${az}`, "kubernetes.io/role/internal-elb": "1" }),
        }, o);
        const rt = new aws.ec2.RouteTable(`${name}-private-${az}`, { vpcId: vpc.id, tags: withTags(n.tags, { Name: `${name}-private-${az}` }) }, o);
        privateRoutes.push(new aws.ec2.Route(`${name}-private-${az}-default`, {
            routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[n.natPerAz ? i : 0].id,
        }, o));
        privateRoutes.push(new aws.ec2.RouteTableAssociation(`${name}-private-${az}`, { subnetId: subnet.id, routeTableId: rt.id }, o));
        return subnet;
    });

    return {
        vpcId: vpc.id,
        privateSubnetIds: privateSubnets.map((s) => s.id),
        publicSubnetIds: publicSubnets.map((s) => s.id),
        privateRoutes,
    };
}
