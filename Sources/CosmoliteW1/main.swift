// SPDX-License-Identifier: Apache-2.0
// W1 runner: see W1Runner.swift.
