import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';

/**
 * Which CloudWatch dashboard a construct's rows go on. A dashboard costs about $3 a month,
 * so a service of several constructs usually wants one shared dashboard.
 */
export abstract class DashboardPlacement {
  /** A dashboard of the construct's own (ObservableApi: its high- and low-level pair). */
  public static own(): DashboardPlacement {
    return new OwnPlacement();
  }

  /** One dashboard per stack, shared by every construct of this library placed on it. */
  public static stackShared(): DashboardPlacement {
    return new SharedPlacement();
  }

  /** A dashboard you created; the construct appends its rows. */
  public static existing(dashboard: cloudwatch.Dashboard): DashboardPlacement {
    return new ExistingPlacement(dashboard);
  }

  /**
   * The dashboard to add rows to, or undefined to create one of the construct's own.
   * @internal
   */
  public abstract _resolve(scope: IConstruct): cloudwatch.Dashboard | undefined;
}

class OwnPlacement extends DashboardPlacement {
  public _resolve(): cloudwatch.Dashboard | undefined {
    return undefined;
  }
}

const SHARED_ID = 'ServerlessPowertoolsDashboard';

class SharedPlacement extends DashboardPlacement {
  public _resolve(scope: IConstruct): cloudwatch.Dashboard {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(SHARED_ID) as cloudwatch.Dashboard | undefined;
    return existing ?? new cloudwatch.Dashboard(stack as Construct, SHARED_ID, { periodOverride: cloudwatch.PeriodOverride.AUTO });
  }
}

class ExistingPlacement extends DashboardPlacement {
  constructor(private readonly dashboard: cloudwatch.Dashboard) {
    super();
  }
  public _resolve(): cloudwatch.Dashboard {
    return this.dashboard;
  }
}
