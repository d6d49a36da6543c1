import { DataTypes, Model, type Sequelize } from 'sequelize';
import type { OrderState } from '../../domain/order';

/** The `orders` row; the repository maps it to and from the domain's OrderState. */
export class OrderRow extends Model {
  declare id: string;
  declare customerId: string;
  declare status: OrderState['status'];
  declare lines: OrderState['lines'];
  declare paymentMethod: OrderState['paymentMethod'];
  declare pricedLines: OrderState['pricedLines'] | null;
  declare amountCents: number | null;
  declare currency: string | null;
  declare paymentId: string | null;
  declare cancellationReason: string | null;
  declare shortLines: OrderState['shortLines'] | null;
  declare history: OrderState['history'];
  declare createdAt: Date;
  declare updatedAt: Date;
}

const models = new WeakMap<Sequelize, typeof OrderRow>();

/** One model class per Sequelize instance, so two services in one process never share one. */
export function defineOrderModel(sequelize: Sequelize): typeof OrderRow {
  const defined = models.get(sequelize);
  if (defined) return defined;
  class Row extends OrderRow {}
  Row.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      customerId: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.TEXT, allowNull: false },
      lines: { type: DataTypes.JSONB, allowNull: false },
      paymentMethod: { type: DataTypes.JSONB, allowNull: false },
      pricedLines: DataTypes.JSONB,
      amountCents: DataTypes.INTEGER,
      currency: DataTypes.CHAR(3),
      paymentId: DataTypes.UUID,
      cancellationReason: DataTypes.TEXT,
      shortLines: DataTypes.JSONB,
      history: { type: DataTypes.JSONB, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'orders', underscored: true, timestamps: false, modelName: 'Order' },
  );
  models.set(sequelize, Row);
  return Row;
}
