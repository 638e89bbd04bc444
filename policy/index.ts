// The Volley policy pack: `pulumi preview --policy-pack <this folder>`.
// Each policy's enforcement level and thresholds can be changed with
// --policy-pack-config or in a Pulumi Cloud policy group (see README).
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("volley", { policies });
