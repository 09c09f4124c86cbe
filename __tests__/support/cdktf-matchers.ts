import { Testing } from 'cdktf';
// Types only: declares the matchers below on jest's `expect`, for `tsc`.
import type {} from 'cdktf/lib/testing/adapters/jest';

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toBeValidTerraform…
Testing.setupJest();
