import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DashboardPlacement } from './dashboard-placement';
import { MonitoringOptions } from './monitoring-options';

/** A titled row of dashboard widgets. @internal */
export interface DashboardRow {
  readonly title: string;
  readonly widgets: cloudwatch.IWidget[];
}

/**
 * Collects titled rows of widgets and puts them on the construct's own dashboard, on a
 * shared one (`dashboardPlacement`), or nowhere when dashboards are off. An own dashboard's
 * name is left to CloudFormation so it never collides.
 * @internal
 */
export class DashboardBuilder {
  private readonly rows: DashboardRow[] = [];

  public readonly enabled: boolean;
  private readonly placement: DashboardPlacement;

  constructor(private readonly scope: Construct, private readonly id: string, monitoring: MonitoringOptions = {}) {
    this.enabled = monitoring.dashboard ?? true;
    this.placement = monitoring.dashboardPlacement ?? DashboardPlacement.own();
  }

  public addRow(title: string, widgets: cloudwatch.IWidget[]): this {
    this.rows.push({ title, widgets });
    return this;
  }

  public addRows(rows: DashboardRow[]): this {
    this.rows.push(...rows);
    return this;
  }

  /** The dashboard the rows went on: the construct's own, the shared one, or undefined. */
  public build(): cloudwatch.Dashboard | undefined {
    if (!this.enabled || this.rows.length === 0) return undefined;
    const shared = this.placement._resolve(this.scope);
    const dashboard = shared ?? new cloudwatch.Dashboard(this.scope, this.id, { periodOverride: cloudwatch.PeriodOverride.AUTO });
    // On a shared dashboard, rows say whose they are.
    const prefix = shared ? `${this.scope.node.path}: ` : '';
    for (const row of this.rows) {
      dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `### ${prefix}${row.title}`, width: 24, height: 1 }));
      dashboard.addWidgets(...row.widgets);
    }
    return dashboard;
  }
}
