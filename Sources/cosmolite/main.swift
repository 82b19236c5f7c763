// SPDX-License-Identifier: Apache-2.0

import CosmoliteCLI

await Cosmolite.run()
