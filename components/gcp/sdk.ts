// Imported first by the entry point, before any module that loads @pulumi/gcp.
import { requirePeer } from "../peer";

requirePeer("sandbox-clusters/gcp", "@pulumi/gcp");
