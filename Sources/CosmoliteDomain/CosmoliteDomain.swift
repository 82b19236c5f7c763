// SPDX-License-Identifier: Apache-2.0
//
// CosmoliteDomain: the integration catalog and connection service built on the engine (issue 4).
// This file only anchors the module; the services live in their own files.
