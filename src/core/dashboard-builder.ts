import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { MonitoringOptions } from './monitoring-options';

/**
 * Collects titled rows of widgets and creates one dashboard, or nothing when dashboards
 * are switched off. The dashboard name is left to CloudFormation so it never collides.
 * @internal
 */
export class DashboardBuilder {
  private readonly rows: { title: string; widgets: cloudwatch.IWidget[] }[] = [];

  public readonly enabled: boolean;

  constructor(private readonly scope: Construct, private readonly id: string, monitoring: MonitoringOptions = {}) {
    this.enabled = monitoring.dashboard ?? true;
  }

  public addRow(title: string, widgets: cloudwatch.IWidget[]): this {
    this.rows.push({ title, widgets });
    return this;
  }

  public build(): cloudwatch.Dashboard | undefined {
    if (!this.enabled || this.rows.length === 0) return undefined;
    const dashboard = new cloudwatch.Dashboard(this.scope, this.id, {
      defaultInterval: undefined,
      periodOverride: cloudwatch.PeriodOverride.AUTO,
    });
    for (const row of this.rows) {
      dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `### ${row.title}`, width: 24, height: 1 }));
      dashboard.addWidgets(...row.widgets);
    }
    return dashboard;
  }
}
