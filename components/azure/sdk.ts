// Imported first by the entry point, before any module that loads @pulumi/azure-native.
import { requirePeer } from "../peer";

requirePeer("sandbox-clusters/azure", "@pulumi/azure-native");
