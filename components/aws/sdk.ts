// Imported first by the entry point, before any module that loads @pulumi/aws.
import { requirePeer } from "../peer";

requirePeer("sandbox-clusters/aws", "@pulumi/aws");
